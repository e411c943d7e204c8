import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/profile";
import { getAccountOverview, updateProfile } from "~/account/queries.server";
import { asksCurrentPassword, checkCurrentPassword, hasPassword } from "~/auth/credentials.server";
import { requestEmailChange } from "~/auth/mail-links.server";
import { requireUser, sessionIdContext } from "~/auth/guards.server";
import { clientIp } from "~/web/request-context.server";
import { CurrentPasswordField } from "~/auth/new-password-fields";
import type { SessionUser } from "~/auth/session.server";
import { revokeEmailChange } from "~/auth/verification.server";
import { retryMessage } from "~/web/too-many-attempts";
import { NAME_MAX } from "~/auth/validation";
import { emailChangeSchema, profileSchema } from "~/account/validation";
import { getDb } from "~/db/client.server";
import { replyWithoutPasswords } from "~/web/password-reply";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Profile and email · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const overview = await getAccountOverview(getDb(), user.id);
  if (!overview) throw notFound();
  return { overview, asksPassword: asksCurrentPassword(overview.hasPassword) };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const formData = await readForm(args);
  const db = getDb();
  switch (formData.get("intent")) {
    case "email":
      return changeEmail(args, user, formData);
    case "cancel-email": {
      const cancelled = await revokeEmailChange(db, user.id);
      const message = cancelled
        ? "Email change cancelled."
        : "There was no email change to cancel.";
      throw redirect("/settings", { headers: await flashHeaders(message) });
    }
  }
  const submission = parseForm(formData, profileSchema);
  if (submission.status !== "success") {
    return data({ intent: "profile", result: submission.reply() }, { status: 400 });
  }
  await updateProfile(db, user.id, submission.value);
  throw redirect("/settings", { headers: await flashHeaders("Profile saved") });
}

async function changeEmail(args: Route.ActionArgs, user: SessionUser, formData: FormData) {
  const db = getDb();
  const submission = parseForm(formData, emailChangeSchema);
  const refuse = (status: number, fieldErrors?: Record<string, string[]>) =>
    data(
      {
        intent: "email" as const,
        result: replyWithoutPasswords(submission, ["currentPassword"], { fieldErrors }),
      },
      { status },
    );
  if (submission.status !== "success") return refuse(400);
  const { email, currentPassword } = submission.value;
  if (email === user.email.toLowerCase()) {
    return refuse(400, { email: ["This is already your email address"] });
  }
  if (asksCurrentPassword(await hasPassword(db, user.id))) {
    const refused = await checkCurrentPassword(db, user, currentPassword ?? "");
    if (refused) return refuse(refused.status, { currentPassword: [refused.message] });
  }
  const sessionId = args.context.get(sessionIdContext)!;
  const sent = await requestEmailChange(
    db,
    { userId: user.id, sessionId },
    email,
    clientIp(args.context),
  );
  if (!sent.ok) return refuse(429, { email: [retryMessage(sent.retryAfterMs)] });
  throw redirect("/settings", {
    headers: await flashHeaders(
      `We sent a link to ${email}, unless it belongs to another account. Your email address changes once you open the link (within 24 hours).`,
    ),
  });
}

export default function ProfileSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { overview, asksPassword } = loaderData;
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const [profileForm, profileFields] = useSchemaForm(profileSchema, {
    id: "profile",
    lastResult: actionData?.intent === "profile" ? actionData.result : undefined,
    defaultValue: { name: overview.name, image: overview.image ?? "" },
  });
  const [emailForm, emailFields] = useSchemaForm(emailChangeSchema, {
    id: "email",
    lastResult: actionData?.intent === "email" ? actionData.result : undefined,
  });
  return (
    <div className="space-y-6">
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title" className="text-lg font-semibold">
          Profile
        </h2>
        <Form method="post" {...getFormProps(profileForm)} className="mt-4 space-y-4">
          <FormErrors id={profileForm.errorId} errors={profileForm.errors} />
          <TextField
            label="Name"
            meta={profileFields.name}
            autoComplete="name"
            hint={`Up to ${NAME_MAX} characters.`}
          />
          <TextField
            label="Image URL (optional)"
            type="url"
            meta={profileFields.image}
            placeholder="https://…"
            hint="An https:// address of a picture of you, shown beside your name."
          />
          <SubmitButton pendingLabel="Saving…" intent="profile">
            Save profile
          </SubmitButton>
        </Form>
      </section>

      <section className="card" aria-labelledby="email-title">
        <h2 id="email-title" className="text-lg font-semibold">
          Email address
        </h2>
        <p className="mt-2 text-sm">
          Your email address is <strong>{overview.email}</strong>{" "}
          {overview.emailVerified ? "(verified)." : "(not verified yet)."}
        </p>
        {overview.pendingEmail ? (
          <Form method="post" className="mt-2 flex flex-wrap items-center gap-3">
            <p className="text-sm text-amber-800 dark:text-amber-200">
              Waiting for you to open the link we sent to <strong>{overview.pendingEmail}</strong>.
            </p>
            <button
              type="submit"
              name="intent"
              value="cancel-email"
              className="btn btn-secondary"
              disabled={submitting === "cancel-email"}
            >
              Cancel the change
            </button>
          </Form>
        ) : null}
        <Form method="post" {...getFormProps(emailForm)} className="mt-4 space-y-4">
          <FormErrors id={emailForm.errorId} errors={emailForm.errors} />
          <TextField
            label="New email address"
            type="email"
            meta={emailFields.email}
            autoComplete="email"
            hint="We send a link to the new address; your email changes once you open it."
          />
          {asksPassword ? (
            <CurrentPasswordField formKey={emailForm.key} meta={emailFields.currentPassword} />
          ) : null}
          <SubmitButton pendingLabel="Sending…" intent="email" className="btn btn-secondary">
            Change email address
          </SubmitButton>
        </Form>
      </section>
    </div>
  );
}
