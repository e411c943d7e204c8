import { Form, Link, redirect, useSearchParams } from "react-router";
import type { Route } from "./+types/list";
import { pageMeta } from "~/ui/page-meta";
import { listAgents } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { EmptyState } from "~/ui/empty-state";
import { formatDate } from "~/ui/time";
import { Pagination } from "~/ui/pagination";
import { listUrl, readListParams } from "~/web/list-params";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(args, "Agents", "Your AI agents: search, sort and open them.");

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const { page, q } = readListParams(args.url);
  const result = await listAgents(getDb(), user.id, { q, page });
  // Nonsense in the query string (page 0, past the end, an overlong search) lands on the
  // nearest page that makes sense.
  const canonical = listUrl(args.url, { page: result.page, q });
  if (canonical !== `${args.url.pathname}${args.url.search}`) throw redirect(canonical);
  return { ...result, q };
}

export default function Agents({ loaderData }: Route.ComponentProps) {
  const { agents, total, page, pageCount, q } = loaderData;
  const [searchParams] = useSearchParams();
  return (
    <section aria-labelledby="agents-title">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 id="agents-title" className="text-2xl font-bold">
          Agents
        </h1>
        <Link to="/agents/new" className="btn btn-primary">
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
          <Form key={q} method="get" role="search" className="mt-6 flex gap-2">
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
              className="w-full max-w-sm rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
            <button type="submit" className="btn btn-secondary">
              Search
            </button>
          </Form>

          {agents.length === 0 ? (
            <EmptyState
              title="No matching agents"
              message={`No agent's name contains “${q}”.`}
              action={{ to: "/agents", label: "Clear the search" }}
            />
          ) : (
            <ul className="mt-6 grid gap-3 md:hidden" aria-label="Agents">
              {agents.map((agent) => (
                <li key={agent.id} className="card p-4">
                  <Link to={`/agents/${agent.id}`} className="font-semibold link">
                    {agent.name}
                  </Link>
                  <p className="mt-1 line-clamp-2 text-sm text-slate-600 dark:text-slate-300">
                    {agent.instructions}
                  </p>
                  <p className="mt-2 text-xs text-muted">
                    {agent.githubRepo ?? "No repository"} · {meetingsLabel(agent.meetingCount)} ·
                    created {formatDate(agent.createdAt)}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {agents.length > 0 ? (
            <div className="mt-6 hidden overflow-x-auto md:block">
              <table className="w-full text-left text-sm">
                <thead className="border-b border-slate-200 text-xs uppercase text-muted dark:border-slate-800">
                  <tr>
                    <th scope="col" className="py-2 pr-4">
                      Name
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Instructions
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Repository
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Meetings
                    </th>
                    <th scope="col" className="py-2">
                      Created
                    </th>
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
          ) : null}
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
