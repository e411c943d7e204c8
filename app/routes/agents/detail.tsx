import { Link } from "react-router";
import type { Route } from "./+types/detail";
import { pageMeta } from "~/ui/page-meta";
import { loadRepositoryCard, type RepositoryCardResult } from "~/agents/github-repo.server";
import { getAgent, listRecentAgentMeetings } from "~/agents/queries.server";
import { getGitHubConnection } from "~/github/connection.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { getConfig } from "~/config.server";
import { httpUrlOrNull } from "~/web/safe-url";
import { StatusBadge } from "~/meetings/status-badge";
import { formatDate } from "~/ui/time";
import { notFound } from "~/web/not-found";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(
    args,
    args.data ? `${args.data.agent.name} · Agents` : "Agent",
    args.data
      ? `The agent ${args.data.agent.name}: its instructions, repository and meetings.`
      : "An agent: its instructions, repository and meetings.",
  );

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const db = getDb();
  const agent = await getAgent(db, user.id, args.params.agentId);
  if (!agent) throw notFound();
  const [repository, meetings] = await Promise.all([
    agent.githubRepo
      ? getGitHubConnection(db, user.id).then((c) => loadRepositoryCard(c, agent.githubRepo!))
      : null,
    listRecentAgentMeetings(db, user.id, agent.id),
  ]);
  const githubUrl = getConfig().github?.url ?? "https://github.com";
  return { agent, repository, meetings, githubUrl };
}

export default function AgentPage({ loaderData }: Route.ComponentProps) {
  const { agent, repository, meetings, githubUrl } = loaderData;
  return (
    <article aria-labelledby="agent-title">
      <p className="text-sm">
        <Link to="/agents" className="link">
          ← All agents
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 id="agent-title" className="text-2xl font-bold break-words">
            {agent.name}
          </h1>
          <p className="mt-1 text-sm text-muted">
            Created {formatDate(agent.createdAt)} · updated {formatDate(agent.updatedAt)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to={`/meetings/new?agentId=${agent.id}`} className="btn btn-primary">
            New meeting
          </Link>
          <Link to={`/agents/${agent.id}/edit`} className="btn btn-secondary">
            Edit
          </Link>
          <Link
            to={`/agents/${agent.id}/delete`}
            className="btn btn-secondary text-red-700 dark:text-red-400"
          >
            Delete
          </Link>
        </div>
      </div>

      <section aria-labelledby="instructions-title" className="card mt-6">
        <h2 id="instructions-title" className="text-sm font-semibold uppercase text-muted">
          Instructions
        </h2>
        <p className="mt-2 whitespace-pre-wrap break-words" data-testid="agent-instructions">
          {agent.instructions}
        </p>
      </section>

      {agent.githubRepo ? (
        <RepositorySection
          githubRepo={agent.githubRepo}
          repository={repository}
          githubUrl={githubUrl}
        />
      ) : null}

      <section aria-labelledby="meetings-title" className="mt-6">
        <h2 id="meetings-title" className="text-lg font-semibold">
          Recent meetings
        </h2>
        {meetings.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
            No meetings with this agent yet.
          </p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
            {meetings.map((meeting) => (
              <li key={meeting.id} className="flex justify-between gap-4 py-2 text-sm">
                <Link to={`/meetings/${meeting.id}`} className="link">
                  {meeting.name}
                </Link>
                <span className="flex items-center gap-2 text-muted">
                  <StatusBadge status={meeting.status} /> {formatDate(meeting.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
        {agent.meetingCount > 0 ? (
          <p className="mt-3 text-sm">
            <Link to={`/meetings?agentId=${agent.id}`} className="link">
              {agent.meetingCount === 1
                ? "The one meeting with this agent"
                : `All ${agent.meetingCount} meetings with this agent`}
            </Link>
          </p>
        ) : null}
      </section>
    </article>
  );
}

function RepositorySection({
  githubRepo,
  repository,
  githubUrl,
}: {
  githubRepo: string;
  repository: RepositoryCardResult | null;
  githubUrl: string;
}) {
  const card = repository?.status === "ok" ? repository.card : null;
  // The link target is GitHub's own html_url when GitHub answered, else built from the
  // validated owner/name.
  return (
    <section aria-labelledby="repository-title" className="card mt-6">
      <h2 id="repository-title" className="text-sm font-semibold uppercase text-muted">
        GitHub repository
      </h2>
      {card ? (
        <div className="mt-2">
          <a
            href={httpUrlOrNull(card.url) ?? `${githubUrl}/${card.fullName}`}
            className="text-lg font-semibold link"
            rel="noopener noreferrer"
          >
            {card.fullName}
          </a>
          <span className="ml-2 rounded-full border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700">
            {card.visibility === "private" ? "Private" : "Public"}
          </span>
          {card.description ? <p className="mt-2 text-sm">{card.description}</p> : null}
          <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600 dark:text-slate-300">
            <div>
              <dt className="inline">Default branch: </dt>
              <dd className="inline">{card.defaultBranch}</dd>
            </div>
            <div>
              <dt className="inline">Stars: </dt>
              <dd className="inline">{card.stars}</dd>
            </div>
            {card.pushedAt ? (
              <div>
                <dt className="inline">Last push: </dt>
                <dd className="inline">{formatDate(card.pushedAt)}</dd>
              </div>
            ) : null}
          </dl>
        </div>
      ) : (
        <div className="mt-2">
          {repository?.status === "unverified" || repository?.status === "not_found" ? (
            // Not known to exist on GitHub: a link could lead nowhere.
            <p className="text-lg font-semibold break-words">{githubRepo}</p>
          ) : (
            <a
              href={`${githubUrl}/${githubRepo}`}
              className="text-lg font-semibold link"
              rel="noopener noreferrer"
            >
              {githubRepo}
            </a>
          )}
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            {repositoryNote(repository?.status)}
          </p>
        </div>
      )}
    </section>
  );
}

function repositoryNote(status: RepositoryCardResult["status"] | undefined) {
  switch (status) {
    case "unverified":
      return "Unverified: no GitHub account is connected (Settings → Connected accounts), so this repository was not checked.";
    case "reconnect":
      return "Your GitHub authorization has expired or was revoked; sign in with GitHub again to see the repository's details.";
    case "not_found":
      return "GitHub no longer shows this repository to your account (renamed, deleted or made private?).";
    default:
      return "GitHub could not be reached just now; details will show when it answers again.";
  }
}
