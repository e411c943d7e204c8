import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, redirect } from "react-router";
import type { Route } from "./+types/connections";
import { disconnectGitHub, getAccountOverview } from "~/account/queries.server";
import { getGitHubConnection } from "~/github/connection.server";
import { asksCurrentPassword, checkCurrentPassword, hasPassword } from "~/auth/credentials.server";
import { requireUser, sessionIdContext } from "~/auth/guards.server";
import { startGitHubAuthorization } from "~/auth/login-redirect.server";
import { CurrentPasswordField } from "~/auth/new-password-fields";
import type { SessionUser } from "~/auth/session.server";
import { connectGitHubSchema } from "~/account/validation";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { getAuthenticatedUser } from "~/github/client.server";
import { FormErrors } from "~/ui/field";
import { replyWithoutPasswords } from "~/web/password-reply";
import { useSchemaForm } from "~/ui/schema-form";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { DateTime } from "~/ui/time";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "Connected accounts · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const db = getDb();
  const overview = await getAccountOverview(db, user.id);
  if (!overview) throw notFound();
  let login: string | null = null;
  if (overview.github) {
    // GitHub's login name is not stored; ask GitHub, and do without it when it does not answer.
    const connection = await getGitHubConnection(db, user.id);
    if (connection && !connection.expired) {
      login = await getAuthenticatedUser(connection.accessToken).then(
        (profile) => profile.login,
        () => null,
      );
    }
  }
  return {
    github: overview.github && { ...overview.github, login },
    /** The user can sign in with a password, so changes here are confirmed with it. */
    passwordSignIn: asksCurrentPassword(overview.hasPassword),
    passwordAuth: getConfig().passwordAuth,
    githubAvailable: getConfig().github !== null,
    emailVerified: overview.emailVerified,
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const formData = await readForm(args);
  if (formData.get("intent") === "connect") return connect(args, user, formData);
  const outcome = await disconnectGitHub(getDb(), user.id, getConfig().passwordAuth);
  if (outcome === "only_sign_in_method") {
    return data(
      {
        intent: "disconnect" as const,
        error: getConfig().passwordAuth
          ? "GitHub is your only way to sign in. Set a password first, then you can disconnect GitHub."
          : "GitHub is your only way to sign in, so it cannot be disconnected.",
      },
      { status: 409 },
    );
  }
  throw redirect("/settings/connections", {
    headers: await flashHeaders(
      outcome === "disconnected" ? "GitHub was disconnected." : "GitHub was not connected.",
    ),
  });
}

/**
 * Starts connecting GitHub, after the current password (when the user has one): a borrowed
 * session alone cannot add a way into the account. The callback connects for this session only.
 */
async function connect(args: Route.ActionArgs, user: SessionUser, formData: FormData) {
  const db = getDb();
  const submission = parseForm(formData, connectGitHubSchema);
  if (submission.status !== "success") {
    return data(
      {
        intent: "connect" as const,
        result: replyWithoutPasswords(submission, ["currentPassword"]),
      },
      { status: 400 },
    );
  }
  if (asksCurrentPassword(await hasPassword(db, user.id))) {
    const refused = await checkCurrentPassword(db, user, submission.value.currentPassword ?? "");
    if (refused) {
      const result = replyWithoutPasswords(submission, ["currentPassword"], {
        fieldErrors: { currentPassword: [refused.message] },
      });
      return data({ intent: "connect" as const, result }, { status: refused.status });
    }
  }
  return startGitHubAuthorization(
    args.request,
    "/settings/connections",
    args.context.get(sessionIdContext),
  );
}

export default function Connections({ loaderData, actionData }: Route.ComponentProps) {
  const { github, passwordSignIn, passwordAuth, githubAvailable, emailVerified } = loaderData;
  const [connectForm, connectFields] = useSchemaForm(connectGitHubSchema, {
    id: "connect",
    lastResult: actionData?.intent === "connect" ? actionData.result : undefined,
  });
  return (
    <section className="card" aria-labelledby="connections-title">
      <h2 id="connections-title" className="text-lg font-semibold">
        Connected accounts
      </h2>
      <div className="mt-4 rounded-md border border-slate-200 p-4 dark:border-slate-800">
        <h3 className="font-medium">GitHub</h3>
        {github ? (
          <>
            <p className="mt-1 text-sm" data-testid="github-connection">
              Connected
              {github.login ? (
                <>
                  {" "}
                  as <strong>{github.login}</strong>
                </>
              ) : null}{" "}
              since <DateTime value={github.connectedAt} />. Agents use it to link repositories.
            </p>
            <div className="mt-3">
              <FormErrors
                errors={actionData?.intent === "disconnect" ? [actionData.error] : undefined}
              />
            </div>
            <Form method="post" className="mt-3">
              <SubmitButton
                pendingLabel="Disconnecting…"
                intent="disconnect"
                className="btn btn-secondary"
              >
                Disconnect GitHub
              </SubmitButton>
              {passwordSignIn ? null : (
                <p className="mt-2 text-xs text-slate-500">
                  {passwordAuth
                    ? "GitHub is your only way to sign in; set a password before disconnecting it."
                    : "GitHub is your only way to sign in, so it cannot be disconnected."}
                </p>
              )}
            </Form>
          </>
        ) : githubAvailable && !emailVerified ? (
          <p className="mt-1 text-sm">
            Not connected. Verify your email address first (open the link we mailed you), then you
            can connect GitHub here.
          </p>
        ) : githubAvailable ? (
          <>
            <p className="mt-1 text-sm">
              Not connected. Connect GitHub to sign in with it and to link repositories to your
              agents.
            </p>
            {/* A full page load: the answer is a redirect to GitHub. */}
            <Form
              method="post"
              reloadDocument
              {...getFormProps(connectForm)}
              className="mt-3 space-y-4"
            >
              <FormErrors id={connectForm.errorId} errors={connectForm.errors} />
              {passwordSignIn ? (
                <CurrentPasswordField
                  formKey={connectForm.key}
                  meta={connectFields.currentPassword}
                />
              ) : null}
              <button type="submit" name="intent" value="connect" className="btn btn-primary">
                Connect GitHub
              </button>
            </Form>
          </>
        ) : (
          <p className="mt-1 text-sm">GitHub is not configured on this server.</p>
        )}
      </div>
    </section>
  );
}
