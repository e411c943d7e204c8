import { parseForm, readForm } from "~/web/form.server";
import { data, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { AgentForm } from "~/agents/agent-form";
import { checkGithubRepo, listRepositoryChoices } from "~/agents/github-repo.server";
import { getAgent, updateAgent } from "~/agents/queries.server";
import { ReconnectGitHub } from "~/agents/reconnect-github";
import { agentSchema } from "~/agents/validation";
import { getGitHubConnection } from "~/github/connection.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { parseVersion } from "~/db/version.server";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Edit ${data.agent.name} · SMTG Notion` : "Edit agent · SMTG Notion" },
];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const agent = await getAgent(getDb(), user.id, args.params.agentId);
  if (!agent) throw notFound();
  const connection = await getGitHubConnection(getDb(), user.id);
  return { agent, repositories: await listRepositoryChoices(connection) };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const db = getDb();
  const { agentId } = args.params;
  const agent = await getAgent(db, user.id, agentId);
  if (!agent) throw notFound();
  const formData = await readForm(args);
  const submission = parseForm(formData, agentSchema);
  if (submission.status !== "success") {
    return data({ result: submission.reply(), reconnect: false, conflict: null }, { status: 400 });
  }
  const version = parseVersion(formData.get("version"));
  if (!version) throw new Response("Missing version", { status: 400 });

  // An unchanged repository was checked when it was saved; GitHub being down must not block
  // renaming the agent.
  const unchanged = submission.value.githubRepo?.toLowerCase() === agent.githubRepo?.toLowerCase();
  const repo = unchanged
    ? { ok: true as const, githubRepo: agent.githubRepo }
    : await checkGithubRepo(await getGitHubConnection(db, user.id), submission.value.githubRepo);
  if (!repo.ok) {
    return "reconnect" in repo
      ? data({ result: submission.reply(), reconnect: true, conflict: null }, { status: 409 })
      : data(
          {
            result: submission.reply({ fieldErrors: { githubRepo: [repo.fieldError] } }),
            reconnect: false,
            conflict: null,
          },
          { status: 422 },
        );
  }

  const result = await updateAgent(db, user.id, agentId, version, {
    ...submission.value,
    githubRepo: repo.githubRepo,
  });
  if (result.status === "not_found") throw notFound();
  if (result.status === "conflict") {
    const { current } = result;
    return data(
      {
        result: submission.reply({
          formErrors: [
            "This agent was changed elsewhere after you opened this form. Your text is kept below; compare it with the saved version, then save again to overwrite it.",
          ],
        }),
        reconnect: false,
        conflict: {
          name: current.name,
          instructions: current.instructions,
          githubRepo: current.githubRepo,
          updatedAt: current.updatedAt,
        },
      },
      { status: 409 },
    );
  }
  throw redirect(`/agents/${agentId}`, { headers: await flashHeaders("Changes saved") });
}

export default function EditAgent({ loaderData, actionData }: Route.ComponentProps) {
  const { agent, repositories } = loaderData;
  const conflict = actionData?.conflict ?? null;
  // After a conflict, saving again means overwriting the version the user has now seen.
  const version = new Date(conflict?.updatedAt ?? agent.updatedAt).toISOString();
  return (
    <section aria-labelledby="edit-agent-title" className="max-w-2xl">
      <h1 id="edit-agent-title" className="text-2xl font-bold break-words">
        Edit {agent.name}
      </h1>
      {actionData?.reconnect || repositories.status === "reconnect" ? <ReconnectGitHub /> : null}
      {conflict ? (
        <aside
          aria-labelledby="conflict-title"
          className="mt-6 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <h2 id="conflict-title" className="font-semibold">
            The saved version now reads
          </h2>
          <dl className="mt-2 space-y-2">
            <div>
              <dt className="font-medium">Name</dt>
              <dd className="break-words" data-testid="conflict-name">
                {conflict.name}
              </dd>
            </div>
            <div>
              <dt className="font-medium">Instructions</dt>
              <dd className="whitespace-pre-wrap break-words" data-testid="conflict-instructions">
                {conflict.instructions}
              </dd>
            </div>
            <div>
              <dt className="font-medium">Repository</dt>
              <dd>{conflict.githubRepo ?? "None"}</dd>
            </div>
          </dl>
        </aside>
      ) : null}
      <AgentForm
        lastResult={actionData?.result}
        defaultValue={{
          name: agent.name,
          instructions: agent.instructions,
          githubRepo: agent.githubRepo,
        }}
        repositories={repositories}
        submitLabel="Save changes"
        hidden={{ version }}
        cancelTo={`/agents/${agent.id}`}
      />
    </section>
  );
}
