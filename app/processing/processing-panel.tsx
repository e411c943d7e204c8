import { useEffect } from "react";
import { Form, Link, useNavigation, useRevalidator } from "react-router";
import { SubmitButton } from "~/ui/submit-button";
import { describeWait, isMoving, type ProcessingView } from "./processing-view";

// The processing meeting's status, from its job: waiting for the transcript, summarising,
// retrying or failed, with the buttons that get it out of each. With JavaScript the page
// reloads its data every few seconds while something is moving; without, a link does it.

export const RELOAD_EVERY_MS = 4000;

/** Reloads the page's data every `everyMs` while `on`, the tab is visible and nothing is sent. */
function useReloadWhile(on: boolean, everyMs = RELOAD_EVERY_MS) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const busy = revalidator.state !== "idle" || navigation.state !== "idle";
  useEffect(() => {
    if (!on || busy) return;
    const timer = setTimeout(() => {
      if (document.visibilityState === "visible") void revalidator.revalidate();
    }, everyMs);
    return () => clearTimeout(timer);
  }, [on, busy, everyMs, revalidator]);
}

function statusText(view: ProcessingView): string {
  switch (view.stage) {
    case "not_started":
      return "Processing has not started.";
    case "queued":
      return "Queued: the summary starts in a moment.";
    case "summarising":
      return view.attempt > 1
        ? `Summarising the transcript (try ${view.attempt} of ${view.tries})…`
        : "Summarising the transcript…";
    case "retrying":
      return `Try ${view.attempt} of ${view.tries} failed: ${view.reason} Trying again shortly.`;
    case "waiting_for_transcript":
      return view.timedOut
        ? `No transcript arrived within ${describeWait(view.timeoutMs)} of the end of the meeting.`
        : "Waiting for the transcript: the summary is made as soon as it arrives.";
    case "failed":
      return `Processing failed: ${view.reason}`;
  }
}

export function ProcessingPanel({ meetingId, view }: { meetingId: string; view: ProcessingView }) {
  const moving = isMoving(view);
  useReloadWhile(moving);
  const stuck =
    view.stage === "failed" ||
    view.stage === "not_started" ||
    (view.stage === "waiting_for_transcript" && view.timedOut);
  const waiting = view.stage === "waiting_for_transcript";
  const failed = view.stage === "failed";
  return (
    <section
      aria-labelledby="processing-title"
      className={`card mt-6 ${failed ? "border-red-300 dark:border-red-800" : ""}`}
    >
      <h2 id="processing-title" className="text-lg font-semibold">
        Processing
      </h2>
      <p
        className={`mt-2 ${failed ? "text-red-800 dark:text-red-300" : ""}`}
        data-testid="processing-status"
        data-stage={view.stage}
        role={failed ? "alert" : "status"}
      >
        {statusText(view)}
      </p>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        {failed || view.stage === "not_started" ? (
          <Form method="post">
            <SubmitButton pendingLabel="Starting…" intent="retry">
              {failed ? "Retry" : "Start processing"}
            </SubmitButton>
          </Form>
        ) : null}
        {waiting ? (
          <a
            href="#add-transcript"
            className={`btn ${view.timedOut ? "btn-primary" : "btn-secondary"}`}
          >
            Add transcript
          </a>
        ) : null}
        {stuck ? (
          <Form method="post">
            <SubmitButton pendingLabel="Completing…" intent="finish" className="btn btn-secondary">
              Complete without summary
            </SubmitButton>
          </Form>
        ) : null}
        {moving || waiting ? (
          <Link to={`/meetings/${meetingId}`} className="text-sm link" reloadDocument>
            Refresh
          </Link>
        ) : null}
      </div>
    </section>
  );
}
