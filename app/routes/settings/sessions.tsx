import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/sessions";
import { readForm } from "~/web/form.server";
import { requireUser, sessionIdContext } from "~/auth/guards.server";
import { listSessions, revokeOtherSessions, revokeSession } from "~/auth/session.server";
import { describeUserAgent } from "~/auth/user-agent";
import { getDb } from "~/db/client.server";
import { isPlainText } from "~/db/plain-text";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { DateTime } from "~/ui/time";

export const meta: Route.MetaFunction = () => [{ title: "Sessions · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const sessions = await listSessions(getDb(), user.id, args.context.get(sessionIdContext));
  return {
    sessions: sessions.map(({ userAgent, ...session }) => ({
      ...session,
      device: describeUserAgent(userAgent),
    })),
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const currentId = args.context.get(sessionIdContext)!;
  const formData = await readForm(args);
  if (formData.get("intent") === "revoke-others") {
    const count = await revokeOtherSessions(getDb(), user.id, currentId);
    const message =
      count === 0
        ? "There were no other sessions."
        : `Signed out ${count} other ${count === 1 ? "session" : "sessions"}.`;
    throw redirect("/settings/sessions", { headers: await flashHeaders(message) });
  }
  const sessionId = String(formData.get("sessionId") ?? "");
  // This device signs out with "Sign out"; someone else's session (or an id no session can
  // have, such as one with a NUL, which PostgreSQL cannot compare) is simply not found.
  if (
    sessionId === currentId ||
    !isPlainText(sessionId) ||
    !(await revokeSession(getDb(), user.id, sessionId))
  ) {
    throw notFound();
  }
  throw redirect("/settings/sessions", { headers: await flashHeaders("Session signed out.") });
}

export default function Sessions({ loaderData }: Route.ComponentProps) {
  const { sessions } = loaderData;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData : null;
  const others = sessions.filter((session) => !session.current).length;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="text-lg font-semibold">
        Sessions
      </h2>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        The browsers signed in to your account. Sign out any you do not recognise.
      </p>
      <ul className="mt-4 divide-y divide-slate-200 dark:divide-slate-800">
        {sessions.map((session) => (
          <li
            key={session.id}
            className="flex flex-wrap items-center justify-between gap-3 py-3"
            data-testid="session"
          >
            <div className="text-sm">
              <p className="font-medium">
                {session.device}
                {session.current ? (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">
                    This device
                  </span>
                ) : null}
              </p>
              <p className="text-slate-600 dark:text-slate-400">
                {session.ipAddress ?? "Unknown IP address"} · signed in{" "}
                <DateTime value={session.createdAt} /> · last renewed{" "}
                <DateTime value={session.updatedAt} />
              </p>
            </div>
            {session.current ? null : (
              <Form method="post">
                <input type="hidden" name="sessionId" value={session.id} />
                <button
                  type="submit"
                  name="intent"
                  value="revoke"
                  className="btn btn-secondary"
                  disabled={busy?.get("sessionId") === session.id}
                  aria-label={`Sign out ${session.device} (${session.ipAddress ?? "unknown IP address"})`}
                >
                  Sign out
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post" className="mt-4">
          <button
            type="submit"
            name="intent"
            value="revoke-others"
            className="btn btn-danger"
            disabled={busy?.get("intent") === "revoke-others"}
          >
            Sign out all other sessions
          </button>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
            This also cancels a pending email change and any password-reset links.
          </p>
        </Form>
      ) : null}
    </section>
  );
}
