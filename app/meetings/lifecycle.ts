import type { MeetingStatus } from "~/db/schema";

// The meeting lifecycle: upcoming → active → processing → completed, or upcoming → cancelled.
// This table is the only place that says which move is allowed from which status; the SQL
// that performs a move (meetings/queries.server.ts) guards on the same `from`.

export const meetingStatuses = [
  "upcoming",
  "active",
  "processing",
  "completed",
  "cancelled",
] as const satisfies readonly MeetingStatus[];

/** What a person is asked before a move that cannot be undone. */
interface Confirmation {
  /** The question, as a heading: `${verb} “${meeting name}”?` */
  verb: string;
  consequence: string;
  confirmLabel: string;
  keepLabel: string;
}

interface Move {
  from: MeetingStatus;
  to: MeetingStatus;
  label: string;
  /** What the button says while the move is under way. */
  pendingLabel: string;
  /** Final moves ask first: a page without JavaScript, a dialog with it. */
  confirm?: Confirmation;
}

export const moves = {
  start: { from: "upcoming", to: "active", label: "Start", pendingLabel: "Starting…" },
  cancel: {
    from: "upcoming",
    to: "cancelled",
    label: "Cancel meeting",
    pendingLabel: "Cancelling…",
    confirm: {
      verb: "Cancel",
      consequence: "A cancelled meeting is final: it cannot be started afterwards.",
      confirmLabel: "Yes, cancel the meeting",
      keepLabel: "Keep it",
    },
  },
  end: {
    from: "active",
    to: "processing",
    label: "End",
    pendingLabel: "Ending…",
    confirm: {
      verb: "End",
      consequence:
        "The meeting stops now and cannot be restarted. Then you add its transcript, recording and summary.",
      confirmLabel: "Yes, end the meeting",
      keepLabel: "Keep it running",
    },
  },
  complete: {
    from: "processing",
    to: "completed",
    label: "Mark completed",
    pendingLabel: "Completing…",
  },
} as const satisfies Record<string, Move>;

export type MeetingMove = keyof typeof moves;

export function isMeetingMove(value: unknown): value is MeetingMove {
  return typeof value === "string" && Object.hasOwn(moves, value);
}

/** The moves that ask for confirmation first, each with a page of its own: /meetings/:id/cancel. */
export type ConfirmedMove = {
  [M in MeetingMove]: (typeof moves)[M] extends { confirm: Confirmation } ? M : never;
}[MeetingMove];

export function isConfirmedMove(value: unknown): value is ConfirmedMove {
  return isMeetingMove(value) && "confirm" in moves[value];
}

export function canMove(status: MeetingStatus, move: MeetingMove): boolean {
  return moves[move].from === status;
}

export function movesFrom(status: MeetingStatus): MeetingMove[] {
  return (Object.keys(moves) as MeetingMove[]).filter((move) => canMove(status, move));
}

/**
 * What the edit form may change in each status: the name always, the agent until the meeting
 * starts, the results (transcript, recording, summary) once it has ended.
 */
export function editableFields(status: MeetingStatus): { agent: boolean; results: boolean } {
  return {
    agent: status === "upcoming",
    results: status === "processing" || status === "completed",
  };
}

const order: Record<MeetingStatus, number> = {
  upcoming: 0,
  active: 1,
  processing: 2,
  completed: 3,
  cancelled: 3,
};

/** Why `move` cannot happen to a meeting that is now `status`, in words for the person. */
export function refusalMessage(move: MeetingMove, status: MeetingStatus): string {
  if (status === "cancelled") {
    return move === "cancel"
      ? "This meeting was already cancelled."
      : "This meeting was cancelled; a cancelled meeting is final.";
  }
  switch (move) {
    case "start":
      return "This meeting was already started.";
    case "cancel":
      return "This meeting has already started, so it can no longer be cancelled.";
    case "end":
      return order[status] < order.active
        ? "This meeting has not started yet."
        : "This meeting has already ended.";
    case "complete":
      return status === "completed"
        ? "This meeting was already marked completed."
        : "This meeting has not ended yet.";
  }
}

export const statusLabels: Record<MeetingStatus, string> = {
  upcoming: "Upcoming",
  active: "Active",
  processing: "Processing",
  completed: "Completed",
  cancelled: "Cancelled",
};
