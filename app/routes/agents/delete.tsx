import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/delete";
import { pageMeta } from "~/ui/page-meta";
import { deleteAgent, getAgent, listAgentMeetingNames } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(
    args,
    args.data ? `Delete ${args.data.agent.name}` : "Delete agent",
    "Confirm deleting an agent, with what goes with it.",
  );

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const agent = await getAgent(getDb(), user.id, args.params.agentId);
  if (!agent) throw notFound();
  const rows = await listAgentMeetingNames(getDb(), user.id, agent.id);
  // What goes with the meetings: only what some of them have.
  const results = [
    rows.some((m) => m.hasTranscript) && "transcript links",
    rows.some((m) => m.hasRecording) && "recording links",
    rows.some((m) => m.hasSummary) && "summaries",
  ].filter((result): result is string => Boolean(result));
  const meetings = rows.map(({ id, name }) => ({ id, name }));
  return { agent: { id: agent.id, name: agent.name }, meetings, results };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const agent = await getAgent(getDb(), user.id, args.params.agentId);
  if (!agent || !(await deleteAgent(getDb(), user.id, agent.id))) throw notFound();
  throw redirect("/agents", { headers: await flashHeaders(`Agent “${agent.name}” deleted`) });
}

const listFormat = new Intl.ListFormat("en-GB", { type: "conjunction" });

export default function DeleteAgent({ loaderData }: Route.ComponentProps) {
  const { agent, meetings, results } = loaderData;
  return (
    <section aria-labelledby="delete-title" className="card max-w-2xl">
      <h1 id="delete-title" className="text-2xl font-bold break-words">
        Delete {agent.name}?
      </h1>
      {meetings.length === 0 ? (
        <p className="mt-3">This agent has no meetings. Deleting it cannot be undone.</p>
      ) : (
        <>
          <p className="mt-3">
            Deleting this agent also deletes its{" "}
            {meetings.length === 1 ? "meeting" : `${meetings.length} meetings`}
            {results.length > 0 ? `, with their ${listFormat.format(results)}` : ""}. This cannot be
            undone.
          </p>
          <ul className="mt-3 list-disc pl-6 text-sm" aria-label="Meetings that will be deleted">
            {meetings.map((meeting) => (
              <li key={meeting.id} className="break-words">
                {meeting.name}
              </li>
            ))}
          </ul>
        </>
      )}
      <Form method="post" className="mt-6 flex gap-3">
        <SubmitButton pendingLabel="Deleting…" className="btn btn-danger">
          Delete agent
        </SubmitButton>
        <Link to={`/agents/${agent.id}`} className="btn btn-secondary">
          Keep it
        </Link>
      </Form>
    </section>
  );
}
