import { Form, Link } from "react-router";
import type { Route } from "./+types/home";
import { getOptionalUser } from "~/auth/guards.server";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { meetingStatuses, statusLabels } from "~/meetings/lifecycle";
import { getDashboard, type MeetingListItem } from "~/meetings/queries.server";
import { StatusBadge } from "~/meetings/status-badge";
import { listOpenActionItems, type OpenActionItem } from "~/processing/action-items.server";
import { summaryPreview } from "~/processing/summary-format";
import { formatDuration, RelativeTime, useNow } from "~/ui/time";

export const meta: Route.MetaFunction = () => [
  { title: "SMTG Notion" },
  { name: "description", content: "Define AI agents and run meetings with them." },
];

export async function loader({ context }: Route.LoaderArgs) {
  const user = getOptionalUser({ context });
  if (!user) {
    const config = getConfig();
    const signIn = { github: config.github !== null, password: config.passwordAuth };
    return { user: null, dashboard: null, now: new Date(), signIn };
  }
  const [dashboard, actionItems] = await Promise.all([
    getDashboard(getDb(), user.id),
    listOpenActionItems(getDb(), user.id),
  ]);
  return {
    user: { name: user.name },
    dashboard: {
      ...dashboard,
      completed: dashboard.completed.map((meeting) => ({
        ...meeting,
        summary: meeting.summary ? summaryPreview(meeting.summary) : null,
      })),
      actionItems,
    },
    now: new Date(),
    signIn: null,
  };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { user, dashboard } = loaderData;
  const now = useNow(loaderData.now);
  if (!user || !dashboard) return <Landing signIn={loaderData.signIn} />;
  const { counts, active, upcoming, completed, actionItems } = dashboard;
  return (
    <section aria-labelledby="dashboard-title">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 id="dashboard-title" className="text-2xl font-bold">
          Welcome, {user.name}
        </h1>
        <div className="flex flex-wrap gap-2">
          <Link to="/meetings/new" className="btn btn-primary">
            New meeting
          </Link>
          <Link to="/agents/new" className="btn btn-secondary">
            New agent
          </Link>
        </div>
      </div>

      <ul aria-label="Meetings by status" className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-5">
        {meetingStatuses.map((status) => (
          <li key={status}>
            <Link
              to={`/meetings?status=${status}`}
              className="card block p-4 hover:border-indigo-400"
              aria-label={`${statusLabels[status]}: ${counts[status] ?? 0}`}
            >
              <span className="block text-2xl font-bold" data-testid={`count-${status}`}>
                {counts[status] ?? 0}
              </span>
              <StatusBadge status={status} />
            </Link>
          </li>
        ))}
      </ul>

      <div className="mt-8 grid gap-6 lg:grid-cols-2">
        <MeetingGroup
          title="Active now"
          empty="No meeting is in progress."
          meetings={active}
          now={now}
        />
        <MeetingGroup
          title="Next up"
          empty="Nothing scheduled. Schedule a meeting with one of your agents."
          meetings={upcoming}
          now={now}
        />
        <OpenActionItems items={actionItems.items} total={actionItems.total} />
        <section aria-labelledby="recent-title" className="lg:col-span-2">
          <h2 id="recent-title" className="text-lg font-semibold">
            Recently completed
          </h2>
          {completed.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
              No completed meetings yet.
            </p>
          ) : (
            <ul className="mt-2 space-y-3">
              {completed.map((meeting) => (
                <li key={meeting.id} className="card p-4">
                  <Link to={`/meetings/${meeting.id}`} className="font-medium link">
                    {meeting.name}
                  </Link>
                  <p className="text-xs text-slate-500">
                    with {meeting.agentName}
                    {meeting.endedAt ? (
                      <>
                        {" "}
                        · ended <RelativeTime value={meeting.endedAt} now={now} />
                      </>
                    ) : null}
                  </p>
                  {meeting.summary ? (
                    <p className="mt-2 line-clamp-3 text-sm text-slate-700 dark:text-slate-300">
                      {meeting.summary}
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}

function OpenActionItems({ items, total }: { items: OpenActionItem[]; total: number }) {
  return (
    <section aria-labelledby="action-items-title" className="lg:col-span-2">
      <h2 id="action-items-title" className="text-lg font-semibold">
        Open action items{total > 0 ? ` (${total})` : ""}
      </h2>
      {items.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
          Nothing open. Action items from your meetings&apos; summaries show up here.
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
          {items.map((item) => (
            <li key={item.id} className="py-2" data-testid="open-action-item">
              <p className="break-words">{item.text}</p>
              <p className="text-xs text-slate-500">
                {item.owner ? `${item.owner} · ` : ""}
                <Link to={`/meetings/${item.meetingId}`} className="link">
                  {item.meetingName}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      {total > items.length ? (
        <p className="mt-1 text-xs text-slate-500">
          The {items.length} newest of {total}; the others are on their meetings&apos; pages.
        </p>
      ) : null}
    </section>
  );
}

function MeetingGroup({
  title,
  empty,
  meetings,
  now,
}: {
  title: string;
  empty: string;
  meetings: MeetingListItem[];
  now: Date;
}) {
  const id = `${title.toLowerCase().replace(/\W+/g, "-")}-title`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {meetings.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{empty}</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
          {meetings.map((meeting) => (
            <li key={meeting.id} className="flex items-center justify-between gap-3 py-2">
              <div className="min-w-0">
                <Link to={`/meetings/${meeting.id}`} className="font-medium break-words link">
                  {meeting.name}
                </Link>
                <p className="text-xs text-slate-500">
                  with {meeting.agentName} ·{" "}
                  {meeting.startedAt ? (
                    <>
                      running for{" "}
                      {formatDuration(now.getTime() - new Date(meeting.startedAt).getTime())}
                    </>
                  ) : (
                    <>
                      scheduled <RelativeTime value={meeting.createdAt} now={now} />
                    </>
                  )}
                </p>
              </div>
              <StatusBadge status={meeting.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Landing({ signIn }: { signIn: { github: boolean; password: boolean } | null }) {
  return (
    <section className="py-12 text-center" aria-labelledby="landing-title">
      <h1 id="landing-title" className="text-4xl font-bold tracking-tight sm:text-5xl">
        Meetings with your AI agents
      </h1>
      <p className="mx-auto mt-4 max-w-2xl text-lg text-slate-600 dark:text-slate-300">
        Give each agent a name, instructions and a GitHub repository to know about. Schedule
        meetings, run them, and keep the transcript, recording and summary in one place.
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        {signIn?.password ? (
          <Link to="/signup" className="btn btn-primary px-6 py-3 text-base">
            Create an account
          </Link>
        ) : null}
        {signIn?.github ? (
          <Form method="post" action="/login" reloadDocument>
            <button
              type="submit"
              className={`btn px-6 py-3 text-base ${signIn.password ? "btn-secondary" : "btn-primary"}`}
            >
              Sign in with GitHub
            </button>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
