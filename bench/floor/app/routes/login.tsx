import { data, Form, redirect, type ActionFunctionArgs } from "react-router";

// The framework floor: a sign-in form page with a loader and an action, no database, no
// middleware. Our /login does the same plus sessions, checks and a database.

export const meta = () => [{ title: "Sign in" }];

export function loader() {
  return { title: "Sign in" };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  if (!email.includes("@")) return data({ error: "Enter an email address" }, { status: 400 });
  throw redirect("/login");
}

export default function Login({
  loaderData,
  actionData,
}: {
  loaderData: { title: string };
  actionData?: { error: string };
}) {
  return (
    <main>
      <h1>{loaderData.title}</h1>
      <Form method="post">
        <label>
          Email <input type="email" name="email" required />
        </label>
        <label>
          Password <input type="password" name="password" required />
        </label>
        {actionData ? <p role="alert">{actionData.error}</p> : null}
        <button type="submit">Sign in</button>
      </Form>
    </main>
  );
}
