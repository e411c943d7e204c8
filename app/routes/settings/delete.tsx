import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/delete";
import { countOwnedRecords, deleteAccount } from "~/account/queries.server";
import { requireUser } from "~/auth/guards.server";
import { serializeClearedSessionCookie } from "~/auth/session.server";
import { deleteAccountSchema } from "~/account/validation";
import { getDb } from "~/db/client.server";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Delete account · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  return { email: user.email, owned: await countOwnedRecords(getDb(), user.id) };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const submission = parseForm(await readForm(args), deleteAccountSchema(user.email));
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  await deleteAccount(getDb(), user.id);
  const headers = new Headers({ "Set-Cookie": await serializeClearedSessionCookie() });
  headers.append(
    "Set-Cookie",
    (await flashHeaders("Your account and everything in it were deleted."))["Set-Cookie"],
  );
  throw redirect("/", { headers });
}

export default function DeleteAccount({ loaderData, actionData }: Route.ComponentProps) {
  const { email, owned } = loaderData;
  const schema = deleteAccountSchema(email);
  const [form, fields] = useSchemaForm(schema, {
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="card" aria-labelledby="delete-title">
      <h2 id="delete-title" className="text-lg font-semibold">
        Delete your account
      </h2>
      <p className="mt-2 text-sm">
        This deletes your account, your {owned.agents === 1 ? "agent" : `${owned.agents} agents`}{" "}
        and your {owned.meetings === 1 ? "meeting" : `${owned.meetings} meetings`} with their
        transcripts, recordings and summaries, and signs out every session. It cannot be undone.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField
          label={`Type ${email} to confirm`}
          type="email"
          meta={fields.confirmEmail}
          autoComplete="off"
        />
        <SubmitButton pendingLabel="Deleting…" className="btn btn-danger">
          Delete my account
        </SubmitButton>
      </Form>
    </section>
  );
}
