import { parseForm, readForm } from "~/web/form.server";
import { nanoid } from "nanoid";
import { data, redirect } from "react-router";
import type { Route } from "./+types/new";
import { AgentForm } from "~/agents/agent-form";
import { checkGithubRepo, listRepositoryChoices } from "~/agents/github-repo.server";
import { createAgent } from "~/agents/queries.server";
import { ReconnectGitHub } from "~/agents/reconnect-github";
import { agentSchema } from "~/agents/validation";
import { getGitHubConnection } from "~/github/connection.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { flashHeaders } from "~/web/flash.server";

export const meta: Route.MetaFunction = () => [{ title: "New agent · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const connection = await getGitHubConnection(getDb(), user.id);
  return { repositories: await listRepositoryChoices(connection), formKey: nanoid() };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const formData = await readForm(args);
  const submission = parseForm(formData, agentSchema);
  if (submission.status !== "success") {
    return data({ result: submission.reply(), reconnect: false }, { status: 400 });
  }
  const connection = await getGitHubConnection(getDb(), user.id);
  const repo = await checkGithubRepo(connection, submission.value.githubRepo);
  if (!repo.ok) {
    return "reconnect" in repo
      ? data({ result: submission.reply(), reconnect: true }, { status: 409 })
      : data(
          {
            result: submission.reply({ fieldErrors: { githubRepo: [repo.fieldError] } }),
            reconnect: false,
          },
          { status: 422 },
        );
  }
  const agent = await createAgent(
    getDb(),
    user.id,
    { ...submission.value, githubRepo: repo.githubRepo },
    String(formData.get("formKey") ?? ""),
  );
  throw redirect(`/agents/${agent.id}`, { headers: await flashHeaders("Agent created") });
}

export default function NewAgent({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <section aria-labelledby="new-agent-title" className="max-w-2xl">
      <h1 id="new-agent-title" className="text-2xl font-bold">
        New agent
      </h1>
      {actionData?.reconnect || loaderData.repositories.status === "reconnect" ? (
        <ReconnectGitHub />
      ) : null}
      <AgentForm
        lastResult={actionData?.result}
        repositories={loaderData.repositories}
        submitLabel="Create agent"
        hidden={{ formKey: loaderData.formKey }}
        cancelTo="/agents"
      />
    </section>
  );
}
