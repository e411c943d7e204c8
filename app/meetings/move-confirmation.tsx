import { useState, type ReactNode } from "react";
import { Form, Link, useLocation } from "react-router";
import { Dialog } from "~/ui/dialog";
import { useHydrated } from "~/ui/hydrated";
import { SubmitButton } from "~/ui/submit-button";
import { moves, type ConfirmedMove } from "./lifecycle";

interface MeetingRef {
  id: string;
  name: string;
}

/**
 * What a final move asks (heading, consequence, the confirming button and a way out), on the
 * confirmation page without JavaScript and in a dialog with it. The form posts the move to the
 * meeting page's action, the one place that performs moves.
 */
export function MoveConfirmation({
  meeting,
  move,
  headingLevel,
  keep,
}: {
  meeting: MeetingRef;
  move: ConfirmedMove;
  headingLevel: "h1" | "h2";
  /** The way out: a link back to the meeting, or a button closing the dialog. */
  keep: ReactNode;
}) {
  const { confirm, pendingLabel } = moves[move];
  const Heading = headingLevel;
  const meetingPath = `/meetings/${meeting.id}`;
  return (
    <>
      <Heading id={`confirm-${move}-title`} className="text-2xl font-bold break-words">
        {confirm.verb} “{meeting.name}”?
      </Heading>
      <p className="mt-3">{confirm.consequence}</p>
      <Form method="post" action={meetingPath} className="mt-6 flex flex-wrap gap-3">
        <SubmitButton
          intent={move}
          action={meetingPath}
          pendingLabel={pendingLabel}
          className="btn btn-danger"
        >
          {confirm.confirmLabel}
        </SubmitButton>
        {keep}
      </Form>
    </>
  );
}

/**
 * The button of a final move on the meeting page. Without JavaScript (and until it has loaded)
 * a link to the confirmation page; with it, a button opening the same confirmation as a dialog.
 */
export function ConfirmMoveButton({
  meeting,
  move,
  className,
}: {
  meeting: MeetingRef;
  move: ConfirmedMove;
  className: string;
}) {
  const hydrated = useHydrated();
  const location = useLocation();
  // Open on the page where it was opened: the move's redirect, or a refusal, is a new page.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.key;
  const setOpen = (value: boolean) => setOpenOn(value ? location.key : null);
  const { label, confirm } = moves[move];
  if (!hydrated) {
    return (
      <Link to={`/meetings/${meeting.id}/${move}`} className={className}>
        {label}
      </Link>
    );
  }
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className={className}
      >
        {label}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={`confirm-${move}-title`}>
        <MoveConfirmation
          meeting={meeting}
          move={move}
          headingLevel="h2"
          keep={
            <button
              type="button"
              data-autofocus
              onClick={() => setOpen(false)}
              className="btn btn-secondary"
            >
              {confirm.keepLabel}
            </button>
          }
        />
      </Dialog>
    </>
  );
}
