import { Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/list";
import { pageMeta } from "~/ui/page-meta";
import { listAgentChoices } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import type { MeetingStatus } from "~/db/schema";
import { meetingStatuses, statusLabels } from "~/meetings/lifecycle";
import { listMeetings } from "~/meetings/queries.server";
import { EmptyState } from "~/ui/empty-state";
import { Pagination } from "~/ui/pagination";
import { listUrl, readListParams, readSort } from "~/web/list-params";
import { FilterForm, ResultCount, useListLoading } from "~/ui/list-filters";
import { sortParam, SortLinks, type SortOption } from "~/ui/sort";
import { StatusBadge } from "~/meetings/status-badge";
import { formatDuration, RelativeTime, useNow } from "~/ui/time";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(
    args,
    "Meetings",
    "Your meetings: filter them by status, agent and name, and sort them.",
  );

const sortKeys = ["name", "created", "status"] as const;
const defaultSort = { key: "created", direction: "desc" } as const;
const sortOptions: SortOption[] = [
  { key: "name", label: "Name", firstDirection: "asc" },
  { key: "created", label: "Created", firstDirection: "desc" },
  { key: "status", label: "Status", firstDirection: "asc" },
];

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

  const sort = readSort(args.url, sortKeys, defaultSort);
  const result = await listMeetings(db, user.id, { status, agentId, q, page, sort });
  const canonical = new URL(args.url);
  for (const [name, value] of [
    ["status", status],
    ["agentId", agentId],
  ] as const) {
    if (value) canonical.searchParams.set(name, value);
    else canonical.searchParams.delete(name);
  }
  const target = listUrl(canonical, { page: result.page, q, sort: { sort, defaultSort } });
  if (target !== `${args.url.pathname}${args.url.search}`) throw redirect(target);

  return {
    ...result,
    filters: { status: status ?? "", agentId: agentId ?? "", q },
    sort,
    agentChoices,
    now: new Date(),
  };
}

export default function Meetings({ loaderData }: Route.ComponentProps) {
  const { meetings, total, page, pageCount, filters, sort, agentChoices } = loaderData;
  const [searchParams] = useSearchParams();
  const loading = useListLoading();
  const now = useNow(loaderData.now);
  const filtered = Boolean(filters.status || filters.agentId || filters.q);
  const sorted = sortParam(sort) !== sortParam(defaultSort);

  return (
    <section aria-labelledby="meetings-title">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 id="meetings-title" className="text-2xl font-bold">
          Meetings
        </h1>
        <Link to="/meetings/new" className="btn btn-primary" data-shortcut="new">
          New meeting
        </Link>
      </div>

      {total === 0 && !filtered ? (
        <EmptyState
          title="No meetings yet"
          message="Create a meeting with one of your agents, then start it when you are ready."
          action={{ to: "/meetings/new", label: "Create your first meeting" }}
        />
      ) : (
        <>
          <FilterForm
            label="Filter meetings"
            values={filters}
            hidden={sorted ? { sort: sortParam(sort) } : {}}
            className="mt-6 grid gap-3 sm:grid-cols-[1fr_1fr_2fr_auto] sm:items-end"
          >
            <label className="block text-sm font-medium">
              Status
              <select name="status" defaultValue={filters.status} className="input mt-1">
                <option value="">All statuses</option>
                {meetingStatuses.map((status) => (
                  <option key={status} value={status}>
                    {statusLabels[status]}
                  </option>
                ))}
              </select>
            </label>
            <label className="block text-sm font-medium">
              Agent
              <select name="agentId" defaultValue={filters.agentId} className="input mt-1">
                <option value="">All agents</option>
                {agentChoices.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="block text-sm font-medium">
              Name
              <input
                type="search"
                name="q"
                defaultValue={filters.q}
                maxLength={100}
                placeholder="Search by name"
                className="input mt-1"
                data-shortcut="search"
              />
            </label>
            <button type="submit" className="btn btn-secondary">
              Apply filters
            </button>
          </FilterForm>
          <SortLinks
            label="Sort meetings"
            options={sortOptions}
            sort={sort}
            defaultSort={defaultSort}
            className="mt-4"
          />
          <ResultCount total={total} noun={["meeting", "meetings"]} />

          <div aria-busy={loading || undefined} className={loading ? "opacity-60" : undefined}>
            {meetings.length === 0 ? (
              <EmptyState
                title="No meetings match these filters"
                message="Try another status, agent or name."
                action={{ to: "/meetings", label: "Clear the filters" }}
              />
            ) : (
              <ul
                className="mt-4 divide-y divide-slate-200 dark:divide-slate-800"
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
                    </div>
                    <StatusBadge status={meeting.status} />
                  </li>
                ))}
              </ul>
            )}
          </div>
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
