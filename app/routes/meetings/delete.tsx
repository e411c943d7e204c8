import { Form, Link, redirect } from "react-router";
import type { Route } from "./+types/delete";
import { pageMeta } from "~/ui/page-meta";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { deleteMeeting, getMeeting } from "~/meetings/queries.server";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { StatusBadge } from "~/meetings/status-badge";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = (args) =>
  pageMeta(
    args,
    args.data ? `Delete ${args.data.meeting.name}` : "Delete meeting",
    "Confirm deleting a meeting, with what goes with it.",
  );

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const meeting = await getMeeting(getDb(), user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  // What goes with it: only what this meeting has.
  const results = [
    meeting.transcriptUrl && "transcript link",
    meeting.recordingUrl && "recording link",
    meeting.summary && "summary",
  ].filter((result): result is string => Boolean(result));
  return {
    meeting: {
      id: meeting.id,
      name: meeting.name,
      status: meeting.status,
      agentName: meeting.agentName,
    },
    results,
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const meeting = await getMeeting(getDb(), user.id, args.params.meetingId);
  if (!meeting || !(await deleteMeeting(getDb(), user.id, meeting.id))) throw notFound();
  throw redirect("/meetings", { headers: await flashHeaders(`Meeting “${meeting.name}” deleted`) });
}

const listFormat = new Intl.ListFormat("en-GB", { type: "conjunction" });

export default function DeleteMeeting({ loaderData }: Route.ComponentProps) {
  const { meeting, results } = loaderData;
  return (
    <section aria-labelledby="delete-title" className="card max-w-2xl">
      <h1 id="delete-title" className="text-2xl font-bold break-words">
        Delete {meeting.name}?
      </h1>
      <p className="mt-3 flex flex-wrap items-center gap-2">
        <StatusBadge status={meeting.status} /> with {meeting.agentName}
      </p>
      <p className="mt-3">
        {results.length > 0
          ? `Its ${listFormat.format(results)} ${results.length === 1 ? "is" : "are"} deleted with it. `
          : null}
        The agent stays. This cannot be undone.
      </p>
      <Form method="post" className="mt-6 flex gap-3">
        <SubmitButton pendingLabel="Deleting…" className="btn btn-danger">
          Delete meeting
        </SubmitButton>
        <Link to={`/meetings/${meeting.id}`} className="btn btn-secondary">
          Keep it
        </Link>
      </Form>
    </section>
  );
}
