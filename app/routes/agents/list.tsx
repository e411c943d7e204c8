import { Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/list";
import { pageMeta } from "~/ui/page-meta";
import { listAgents } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { EmptyState } from "~/ui/empty-state";
import { formatDate } from "~/ui/time";
import { Pagination } from "~/ui/pagination";
import { listUrl, readListParams, readSort } from "~/web/list-params";
import { FilterForm, ResultCount, useListLoading } from "~/ui/list-filters";
import { sortParam, SortableHeader, SortLinks, type SortOption } from "~/ui/sort";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(args, "Agents", "Your AI agents: search, sort and open them.");

const sortKeys = ["name", "created", "meetings"] as const;
const defaultSort = { key: "created", direction: "desc" } as const;
const sortOptions = {
  name: { key: "name", label: "Name", firstDirection: "asc" },
  meetings: { key: "meetings", label: "Meetings", firstDirection: "desc" },
  created: { key: "created", label: "Created", firstDirection: "desc" },
} satisfies Record<(typeof sortKeys)[number], SortOption>;

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const { page, q } = readListParams(args.url);
  const sort = readSort(args.url, sortKeys, defaultSort);
  const result = await listAgents(getDb(), user.id, { q, page, sort });
  // Nonsense in the query string (page 0, past the end, an overlong search, an unknown sort)
  // lands on the nearest page that makes sense.
  const canonical = listUrl(args.url, { page: result.page, q, sort: { sort, defaultSort } });
  if (canonical !== `${args.url.pathname}${args.url.search}`) throw redirect(canonical);
  return { ...result, q, sort };
}

export default function Agents({ loaderData }: Route.ComponentProps) {
  const { agents, total, page, pageCount, q, sort } = loaderData;
  const [searchParams] = useSearchParams();
  const loading = useListLoading();
  const sorted = sortParam(sort) !== sortParam(defaultSort);
  const header = (option: SortOption, className: string) => (
    <SortableHeader option={option} sort={sort} defaultSort={defaultSort} className={className} />
  );
  return (
    <section aria-labelledby="agents-title">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 id="agents-title" className="text-2xl font-bold">
          Agents
        </h1>
        <Link to="/agents/new" className="btn btn-primary" data-shortcut="new">
          New agent
        </Link>
      </div>

      {total === 0 && !q ? (
        <EmptyState
          title="No agents yet"
          message="An agent has a name and instructions that say how it behaves in meetings. Create your first one to get started."
          action={{ to: "/agents/new", label: "Create your first agent" }}
        />
      ) : (
        <>
          <FilterForm
            label="Search agents"
            values={{ q }}
            hidden={sorted ? { sort: sortParam(sort) } : {}}
            className="mt-6 flex gap-2"
          >
            <label htmlFor="agent-search" className="sr-only">
              Search agents by name
            </label>
            <input
              id="agent-search"
              type="search"
              name="q"
              defaultValue={q}
              maxLength={100}
              placeholder="Search by name"
              className="input max-w-sm"
              data-shortcut="search"
            />
            <button type="submit" className="btn btn-secondary">
              Search
            </button>
          </FilterForm>
          <ResultCount total={total} noun={["agent", "agents"]} />

          <div aria-busy={loading || undefined} className={loading ? "opacity-60" : undefined}>
            {agents.length === 0 ? (
              <EmptyState
                title="No matching agents"
                message={`No agent's name contains “${q}”.`}
                action={{ to: "/agents", label: "Clear the search" }}
              />
            ) : (
              <>
                <SortLinks
                  label="Sort agents"
                  options={Object.values(sortOptions)}
                  sort={sort}
                  defaultSort={defaultSort}
                  className="mt-4 md:hidden"
                />
                <ul className="mt-4 grid gap-3 md:hidden" aria-label="Agents">
                  {agents.map((agent) => (
                    <li key={agent.id} className="card p-4">
                      <Link to={`/agents/${agent.id}`} className="font-semibold link">
                        {agent.name}
                      </Link>
                      <p className="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-300">
                        {agent.instructions}
                      </p>
                      <p className="mt-2 text-xs text-muted">
                        {agent.githubRepo ?? "No repository"} · {meetingsLabel(agent.meetingCount)}{" "}
                        · created {formatDate(agent.createdAt)}
                      </p>
                    </li>
                  ))}
                </ul>
                <div className="mt-6 hidden overflow-x-auto md:block">
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">Agents</caption>
                    <thead className="border-b border-slate-200 text-xs uppercase text-muted dark:border-slate-800">
                      <tr>
                        {header(sortOptions.name, "py-2 pr-4")}
                        <th scope="col" className="py-2 pr-4">
                          Instructions
                        </th>
                        <th scope="col" className="py-2 pr-4">
                          Repository
                        </th>
                        {header(sortOptions.meetings, "py-2 pr-4")}
                        {header(sortOptions.created, "py-2")}
                      </tr>
                    </thead>
                    <tbody>
                      {agents.map((agent) => (
                        <tr
                          key={agent.id}
                          className="border-b border-slate-100 align-top dark:border-slate-800"
                        >
                          <td className="py-3 pr-4 font-medium">
                            <Link to={`/agents/${agent.id}`} className="link">
                              {agent.name}
                            </Link>
                          </td>
                          <td className="max-w-xs py-3 pr-4 text-slate-600 dark:text-slate-300">
                            <span className="line-clamp-2">{agent.instructions}</span>
                          </td>
                          <td className="py-3 pr-4">{agent.githubRepo ?? "—"}</td>
                          <td className="py-3 pr-4">{agent.meetingCount}</td>
                          <td className="py-3 whitespace-nowrap">{formatDate(agent.createdAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </div>
          <Pagination
            page={page}
            pageCount={pageCount}
            total={total}
            noun={["agent", "agents"]}
            searchParams={searchParams}
          />
        </>
      )}
    </section>
  );
}

function meetingsLabel(count: number) {
  return count === 1 ? "1 meeting" : `${count} meetings`;
}
