import { data, Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/settings.connections";
import { disconnectGitHub, getAccountOverview } from "~/account/queries.server";
import { getGitHubConnection } from "~/auth/accounts.server";
import { requireUser } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { getAuthenticatedUser } from "~/github/client.server";
import { FormErrors } from "~/ui/field";
import { flashHeaders } from "~/ui/flash.server";
import { notFound } from "~/ui/not-found";
import { DateTime } from "~/ui/time";

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
    hasPassword: overview.hasPassword && getConfig().passwordAuth,
    githubAvailable: getConfig().github !== null,
    emailVerified: overview.emailVerified,
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const outcome = await disconnectGitHub(getDb(), user.id, getConfig().passwordAuth);
  if (outcome === "only_sign_in_method") {
    return data(
      {
        error:
          "GitHub is your only way to sign in. Set a password first, then you can disconnect GitHub.",
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

export default function Connections({ loaderData, actionData }: Route.ComponentProps) {
  const { github, hasPassword, githubAvailable, emailVerified } = loaderData;
  const navigation = useNavigation();
  const disconnecting = navigation.state === "submitting";
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
              <FormErrors errors={actionData?.error ? [actionData.error] : undefined} />
            </div>
            <Form method="post" className="mt-3">
              <button type="submit" className="btn btn-secondary" disabled={disconnecting}>
                {disconnecting ? "Disconnecting…" : "Disconnect GitHub"}
              </button>
              {hasPassword ? null : (
                <p className="mt-2 text-xs text-slate-500">
                  GitHub is your only way to sign in; set a password before disconnecting it.
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
            {/* The OAuth round trip through /login; signed in, it connects instead of signing in. */}
            <Form method="post" action="/login" reloadDocument className="mt-3">
              <input type="hidden" name="redirectTo" value="/settings/connections" />
              <button type="submit" className="btn btn-primary">
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
