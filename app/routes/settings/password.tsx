import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/password";
import { checkCurrentPassword, hasPassword, setPassword } from "~/auth/credentials.server";
import { requirePasswordAuth, requireUser, sessionIdContext } from "~/auth/guards.server";
import { notifyPasswordChanged } from "~/auth/mail-links.server";
import { newPasswordSchema } from "~/auth/validation";
import { getDb } from "~/db/client.server";
import { replyWithoutPasswords } from "~/web/password-reply";
import { CurrentPasswordField, NewPasswordFields } from "~/auth/new-password-fields";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Password · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  requirePasswordAuth();
  return { email: user.email, hasPassword: await hasPassword(getDb(), user.id) };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  requirePasswordAuth();
  const db = getDb();
  const sessionId = args.context.get(sessionIdContext)!;
  const submission = parseForm(await readForm(args), newPasswordSchema(user.email));
  const hidden = ["currentPassword", "password", "confirmPassword"];
  if (submission.status !== "success") {
    return data({ result: replyWithoutPasswords(submission, hidden) }, { status: 400 });
  }
  const { currentPassword, password } = submission.value;
  if (await hasPassword(db, user.id)) {
    const refused = await checkCurrentPassword(db, user, currentPassword ?? "");
    if (refused) {
      const result = replyWithoutPasswords(submission, hidden, {
        fieldErrors: { currentPassword: [refused.message] },
      });
      return data({ result }, { status: refused.status });
    }
  }
  const outcome = await setPassword(db, { userId: user.id, sessionId }, password);
  // This session was signed out meanwhile: the next page finds it gone.
  if (outcome === "signed_out") throw redirect("/login");
  // An unverified address may be someone else's: it gets no notices.
  if (user.emailVerified) notifyPasswordChanged(user.email);
  throw redirect("/settings/password", {
    headers: await flashHeaders("Password saved. Your other sessions were signed out."),
  });
}

export default function PasswordSettings({ loaderData, actionData }: Route.ComponentProps) {
  const schema = newPasswordSchema(loaderData.email);
  const [form, fields] = useSchemaForm(schema, {
    lastResult: actionData?.result,
  });
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title" className="text-lg font-semibold">
        {loaderData.hasPassword ? "Change your password" : "Set a password"}
      </h2>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        {loaderData.hasPassword
          ? "Saving a new password signs out your other sessions and cancels a pending email change."
          : `You sign in with GitHub. With a password you can also sign in with ${loaderData.email}. Saving one signs out your other sessions.`}
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        {loaderData.hasPassword ? (
          <CurrentPasswordField formKey={form.key} meta={fields.currentPassword} />
        ) : null}
        <NewPasswordFields
          formKey={form.key}
          password={fields.password}
          confirmPassword={fields.confirmPassword}
        />
        <SubmitButton pendingLabel="Saving…">
          {loaderData.hasPassword ? "Change password" : "Set password"}
        </SubmitButton>
      </Form>
    </section>
  );
}
