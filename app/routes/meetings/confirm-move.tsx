import { Link } from "react-router";
import type { Route } from "./+types/confirm-move";
import { pageMeta } from "~/ui/page-meta";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { canMove, isConfirmedMove, moves, refusalMessage } from "~/meetings/lifecycle";
import { MoveConfirmation } from "~/meetings/move-confirmation";
import { getMeeting } from "~/meetings/queries.server";
import { notFound } from "~/web/not-found";

// /meetings/:id/cancel and /meetings/:id/end: the confirmation of a final move without
// JavaScript. Its form posts to the meeting page, whose action performs every move.

export const meta: Route.MetaFunction = (args) =>
  pageMeta(
    args,
    args.data ? `${moves[args.data.move].label}: ${args.data.meeting.name}` : "Confirm",
    "Confirm a change to a meeting that cannot be undone.",
  );

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const move = args.url.pathname.split("/").at(-1);
  if (!isConfirmedMove(move)) throw notFound();
  const meeting = await getMeeting(getDb(), user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  return {
    meeting: { id: meeting.id, name: meeting.name },
    move,
    // An old link, or another tab got there first: say why nothing can be done.
    refusal: canMove(meeting.status, move) ? null : refusalMessage(move, meeting.status),
  };
}

export default function ConfirmMove({ loaderData }: Route.ComponentProps) {
  const { meeting, move, refusal } = loaderData;
  const back = `/meetings/${meeting.id}`;
  if (refusal) {
    return (
      <section aria-labelledby="refusal-title" className="card max-w-2xl">
        <h1 id="refusal-title" className="text-2xl font-bold break-words">
          {meeting.name}
        </h1>
        <p className="mt-3">{refusal}</p>
        <Link to={back} className="btn btn-primary mt-6">
          Back to the meeting
        </Link>
      </section>
    );
  }
  return (
    <section aria-labelledby={`confirm-${move}-title`} className="card max-w-2xl">
      <MoveConfirmation
        meeting={meeting}
        move={move}
        headingLevel="h1"
        keep={
          <Link to={back} className="btn btn-secondary">
            {moves[move].confirm.keepLabel}
          </Link>
        }
      />
    </section>
  );
}
