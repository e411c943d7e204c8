import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/regenerate";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { refusalMessage } from "~/meetings/lifecycle";
import { getMeeting, moveMeeting } from "~/meetings/queries.server";
import { enqueueMeetingProcessing } from "~/processing/processing.server";
import { hasTranscript } from "~/processing/transcript-source.server";
import { FormErrors } from "~/ui/field";
import { SubmitButton } from "~/ui/submit-button";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";

// "Regenerate summary" asks first (this page, without JavaScript too): the meeting goes back to
// processing and its job makes a new summary from the transcript.

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Regenerate the summary of ${data.meeting.name} · SMTG Notion`
      : "Regenerate summary · SMTG Notion",
  },
];

async function regenerable(userId: string, meetingId: string) {
  const db = getDb();
  const meeting = await getMeeting(db, userId, meetingId);
  if (!meeting) throw notFound();
  const refusal =
    meeting.status !== "completed"
      ? refusalMessage("regenerate", meeting.status)
      : !(await hasTranscript(db, meeting.id))
        ? "This meeting has no transcript to summarise."
        : null;
  return { meeting, refusal };
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const { meeting, refusal } = await regenerable(user.id, args.params.meetingId);
  return { meeting: { id: meeting.id, name: meeting.name }, refusal };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const { meeting, refusal } = await regenerable(user.id, args.params.meetingId);
  if (refusal) return data({ refused: true }, { status: 409 });
  const outcome = await moveMeeting(getDb(), user.id, meeting.id, "regenerate");
  if (outcome.status === "not_found") throw notFound();
  if (outcome.status === "refused") return data({ refused: true }, { status: 409 });
  try {
    await enqueueMeetingProcessing(getDb(), user.id, meeting.id);
  } catch (error) {
    // The meeting page then offers to start processing.
    console.error(`Could not queue the processing of meeting ${meeting.id}:`, error);
  }
  throw redirect(`/meetings/${meeting.id}`, {
    headers: await flashHeaders("A new summary is being made"),
  });
}

export default function RegenerateSummary({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, refusal } = loaderData;
  return (
    <section aria-labelledby="regenerate-title" className="card max-w-2xl">
      <h1 id="regenerate-title" className="text-2xl font-bold break-words">
        Regenerate the summary of {meeting.name}?
      </h1>
      {refusal || actionData?.refused ? (
        <div className="mt-4">
          <FormErrors errors={[refusal ?? "This meeting can no longer get a new summary."]} />
        </div>
      ) : (
        <p className="mt-3">
          The meeting goes back to processing while a new summary is made from its transcript. The
          current summary is replaced. Action items you ticked, edited, added or filed as GitHub
          issues are kept; the others are replaced by the new summary&apos;s.
        </p>
      )}
      <Form method="post" className="mt-6 flex gap-3">
        {refusal ? null : <SubmitButton pendingLabel="Starting…">Regenerate summary</SubmitButton>}
        <Link to={`/meetings/${meeting.id}`} className="btn btn-secondary">
          {refusal ? "Back to the meeting" : "Keep this summary"}
        </Link>
      </Form>
    </section>
  );
}
