import type { MeetingStatus } from "~/db/schema";

// The meeting lifecycle: upcoming → active → processing → completed, or upcoming → cancelled;
// a completed meeting goes back to processing for a new summary.
// This table is the only place that says which move is allowed from which status; the SQL
// that performs a move (meetings/queries.server.ts) guards on the same `from`.

export const meetingStatuses = [
  "upcoming",
  "active",
  "processing",
  "completed",
  "cancelled",
] as const satisfies readonly MeetingStatus[];

export const moves = {
  start: { from: "upcoming", to: "active", label: "Start" },
  cancel: { from: "upcoming", to: "cancelled", label: "Cancel meeting" },
  end: { from: "active", to: "processing", label: "End" },
  complete: { from: "processing", to: "completed", label: "Mark completed" },
  regenerate: { from: "completed", to: "processing", label: "Regenerate summary" },
} as const satisfies Record<string, { from: MeetingStatus; to: MeetingStatus; label: string }>;

export type MeetingMove = keyof typeof moves;

export function isMeetingMove(value: unknown): value is MeetingMove {
  return typeof value === "string" && Object.hasOwn(moves, value);
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
    case "regenerate":
      return status === "processing"
        ? "This meeting's summary is already being made."
        : "Only a completed meeting gets a new summary.";
  }
}

export const statusLabels: Record<MeetingStatus, string> = {
  upcoming: "Upcoming",
  active: "Active",
  processing: "Processing",
  completed: "Completed",
  cancelled: "Cancelled",
};
