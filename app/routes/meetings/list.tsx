import { Form, Link, redirect, useSearchParams, useSubmit } from "react-router";
import type { Route } from "./+types/list";
import { listAgentChoices } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import type { MeetingStatus } from "~/db/schema";
import { meetingStatuses, statusLabels } from "~/meetings/lifecycle";
import { listMeetings } from "~/meetings/queries.server";
import { EmptyState } from "~/ui/empty-state";
import { Pagination } from "~/ui/pagination";
import { listUrl, readListParams } from "~/web/list-params";
import { StatusBadge } from "~/meetings/status-badge";
import { formatDuration, RelativeTime, useNow } from "~/ui/time";
import { HighlightedText } from "~/transcripts/highlighted-text";
import { transcriptMomentPath } from "~/transcripts/paths";
import { formatClock } from "~/transcripts/segments";
import { searchSnippets, type SearchSnippet } from "~/transcripts/search.server";

export const meta: Route.MetaFunction = () => [{ title: "Meetings · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const db = getDb();
  const { page, q } = readListParams(args.url);
  const rawStatus = args.url.searchParams.get("status") ?? "";
  const status = (meetingStatuses as readonly string[]).includes(rawStatus)
    ? (rawStatus as MeetingStatus)
    : undefined;
  const agentChoices = await listAgentChoices(db, user.id);
  const rawAgent = args.url.searchParams.get("agentId") ?? "";
  // An agent that is not the user's filters nothing rather than revealing anything.
  const agentId = agentChoices.some((a) => a.id === rawAgent) ? rawAgent : undefined;

  const result = await listMeetings(db, user.id, { status, agentId, q, page });
  const snippets = await searchSnippets(
    db,
    user.id,
    result.meetings.map((m) => m.id),
    q,
  );
  const canonical = new URL(args.url);
  for (const [name, value] of [
    ["status", status],
    ["agentId", agentId],
  ] as const) {
    if (value) canonical.searchParams.set(name, value);
    else canonical.searchParams.delete(name);
  }
  const target = listUrl(canonical, { page: result.page, q });
  if (target !== `${args.url.pathname}${args.url.search}`) throw redirect(target);

  return {
    ...result,
    snippets,
    filters: { status: status ?? "", agentId: agentId ?? "", q },
    agentChoices,
    now: new Date(),
  };
}

export default function Meetings({ loaderData }: Route.ComponentProps) {
  const { meetings, total, page, pageCount, filters, agentChoices, snippets } = loaderData;
  const [searchParams] = useSearchParams();
  const submit = useSubmit();
  const now = useNow(loaderData.now);
  const filtered = Boolean(filters.status || filters.agentId || filters.q);
  const selectClass =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900";

  return (
    <section aria-labelledby="meetings-title">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 id="meetings-title" className="text-2xl font-bold">
          Meetings
        </h1>
        <Link to="/meetings/new" className="btn btn-primary">
          New meeting
        </Link>
      </div>

      {total === 0 && !filtered ? (
        <EmptyState
          title="No meetings yet"
          message="Schedule a meeting with one of your agents, then start it when you are ready."
          action={{ to: "/meetings/new", label: "Schedule your first meeting" }}
        />
      ) : (
        <>
          <Form
            // Remounted for every URL, so the controls always show the filters in effect.
            key={searchParams.toString()}
            method="get"
            role="search"
            aria-label="Filter meetings"
            className="mt-6 grid gap-3 sm:grid-cols-[1fr_1fr_2fr_auto] sm:items-end"
            // With JavaScript, a changed select applies at once; without, the button does.
            onChange={(event) => {
              if (event.target instanceof HTMLSelectElement) submit(event.currentTarget);
            }}
          >
            <label className="block text-sm">
              Status
              <select name="status" defaultValue={filters.status} className={selectClass}>
                <option value="">All statuses</option>
                {meetingStatuses.map((status) => (
                  <option key={status} value={status}>
                    {statusLabels[status]}
                  </option>
                ))}
              </select>
            </label>
            <label className="block text-sm">
              Agent
              <select name="agentId" defaultValue={filters.agentId} className={selectClass}>
                <option value="">All agents</option>
                {agentChoices.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="block text-sm">
              Search
              <input
                type="search"
                name="q"
                defaultValue={filters.q}
                maxLength={100}
                placeholder="Name, summary or transcript"
                className={selectClass}
              />
            </label>
            <button type="submit" className="btn btn-secondary">
              Apply filters
            </button>
          </Form>

          {meetings.length === 0 ? (
            <EmptyState
              title="No meetings match these filters"
              message="Try another status, agent or search."
              action={{ to: "/meetings", label: "Clear the filters" }}
            />
          ) : (
            <ul
              className="mt-6 divide-y divide-slate-200 dark:divide-slate-800"
              aria-label="Meetings"
            >
              {meetings.map((meeting) => (
                <li
                  key={meeting.id}
                  className="flex flex-wrap items-center justify-between gap-3 py-3"
                >
                  <div className="min-w-0">
                    <Link to={`/meetings/${meeting.id}`} className="font-medium break-words link">
                      {meeting.name}
                    </Link>
                    <p className="text-sm text-slate-600 dark:text-slate-400">
                      with {meeting.agentName}
                      {meeting.startedAt ? (
                        <>
                          {" "}
                          · started <RelativeTime value={meeting.startedAt} now={now} />
                        </>
                      ) : null}
                      {meeting.startedAt && meeting.endedAt ? (
                        <>
                          {" "}
                          · lasted{" "}
                          {formatDuration(
                            new Date(meeting.endedAt).getTime() -
                              new Date(meeting.startedAt).getTime(),
                          )}
                        </>
                      ) : null}
                    </p>
                    {snippets[meeting.id] ? (
                      <SearchSnippetLink
                        meetingId={meeting.id}
                        snippet={snippets[meeting.id]!}
                        q={filters.q}
                      />
                    ) : null}
                  </div>
                  <StatusBadge status={meeting.status} />
                </li>
              ))}
            </ul>
          )}
          <Pagination
            page={page}
            pageCount={pageCount}
            total={total}
            noun={["meeting", "meetings"]}
            searchParams={searchParams}
          />
        </>
      )}
    </section>
  );
}

/** Where the search matched, with the words marked: a transcript moment or the summary. */
function SearchSnippetLink({
  meetingId,
  snippet,
  q,
}: {
  meetingId: string;
  snippet: SearchSnippet;
  q: string;
}) {
  const transcript = snippet.source === "transcript";
  return (
    <p className="mt-1 text-sm text-slate-700 dark:text-slate-300" data-testid="search-snippet">
      <Link
        to={
          transcript
            ? transcriptMomentPath(meetingId, snippet.position, { q })
            : `/meetings/${meetingId}`
        }
        className="hover:underline"
      >
        <span className="font-medium text-slate-500 dark:text-slate-400">
          {transcript
            ? `Transcript${snippet.startMs === null ? "" : ` at ${formatClock(snippet.startMs)}`}: `
            : "Summary: "}
        </span>
        …<HighlightedText text={snippet.text} />…
      </Link>
    </p>
  );
}
