import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/settings._index";
import { getAccountOverview, updateProfile } from "~/account/queries.server";
import { requestEmailChange } from "~/auth/mail-links.server";
import { clientIp, requireUser } from "~/auth/guards.server";
import { retryMessage } from "~/auth/rate-limit.server";
import { emailChangeSchema, NAME_MAX, profileSchema } from "~/auth/validation";
import { getDb } from "~/db/client.server";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, TextField } from "~/ui/field";
import { flashHeaders } from "~/ui/flash.server";
import { notFound } from "~/ui/not-found";

export const meta: Route.MetaFunction = () => [{ title: "Profile and email · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const overview = await getAccountOverview(getDb(), user.id);
  if (!overview) throw notFound();
  return { overview };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const formData = await args.request.formData();
  const db = getDb();
  if (formData.get("intent") === "email") {
    const submission = parseWithZod(formData, { schema: emailChangeSchema });
    if (submission.status !== "success") {
      return data({ intent: "email", result: submission.reply() }, { status: 400 });
    }
    const { email } = submission.value;
    const refuse = (message: string, status: number) =>
      data(
        { intent: "email", result: submission.reply({ fieldErrors: { email: [message] } }) },
        { status },
      );
    if (email === user.email.toLowerCase())
      return refuse("This is already your email address", 400);
    const ip = clientIp(args.context);
    const sent = await requestEmailChange(db, user.id, email, ip);
    if (!sent.ok) return refuse(retryMessage(sent.retryAfterMs), 429);
    throw redirect("/settings", {
      headers: await flashHeaders(
        `We sent a link to ${email}, unless it belongs to another account. Your email address changes once you open the link (within 24 hours).`,
      ),
    });
  }

  const submission = parseWithZod(formData, { schema: profileSchema });
  if (submission.status !== "success") {
    return data({ intent: "profile", result: submission.reply() }, { status: 400 });
  }
  await updateProfile(db, user.id, submission.value);
  throw redirect("/settings", { headers: await flashHeaders("Profile saved") });
}

export default function ProfileSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { overview } = loaderData;
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
          <button
            type="submit"
            name="intent"
            value="profile"
            className="btn btn-primary"
            disabled={submitting === "profile"}
          >
            {submitting === "profile" ? "Saving…" : "Save profile"}
          </button>
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
          <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">
            Waiting for you to open the link we sent to <strong>{overview.pendingEmail}</strong>.
          </p>
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
          <button
            type="submit"
            name="intent"
            value="email"
            className="btn btn-secondary"
            disabled={submitting === "email"}
          >
            {submitting === "email" ? "Sending…" : "Change email address"}
          </button>
        </Form>
      </section>
    </div>
  );
}
