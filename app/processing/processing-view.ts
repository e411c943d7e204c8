// Where a processing meeting stands, as its page shows it (processing.server.ts reads it).

export type ProcessingView =
  | { stage: "not_started" }
  | { stage: "queued" }
  | { stage: "summarising"; attempt: number; tries: number }
  /** `attempt` is the try that failed; another follows after a pause. */
  | { stage: "retrying"; attempt: number; tries: number; reason: string }
  | { stage: "waiting_for_transcript"; timedOut: boolean; since: Date; timeoutMs: number }
  | { stage: "failed"; reason: string };

/** Stages that change by themselves, so the page reloads itself while in them. */
export function isMoving(view: ProcessingView): boolean {
  switch (view.stage) {
    case "queued":
    case "summarising":
    case "retrying":
      return true;
    case "waiting_for_transcript":
      return !view.timedOut;
    default:
      return false;
  }
}

/** "24 hours", "90 minutes". */
export function describeWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 60 && minutes % 60 === 0) {
    const hours = minutes / 60;
    return hours === 1 ? "1 hour" : `${hours} hours`;
  }
  if (minutes >= 1) return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}
