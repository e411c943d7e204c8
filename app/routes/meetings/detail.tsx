import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/detail";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import {
  isMeetingMove,
  moves,
  movesFrom,
  refusalMessage,
  type MeetingMove,
} from "~/meetings/lifecycle";
import { getMeeting, moveMeeting } from "~/meetings/queries.server";
import { getConfig } from "~/config.server";
import {
  addActionItem,
  listActionItems,
  setActionItemDone,
} from "~/processing/action-items.server";
import { ActionItemsChecklist } from "~/processing/action-items-checklist";
import { startGitHubAuthorization } from "~/auth/login-redirect.server";
import { getGitHubConnection } from "~/github/connection.server";
import {
  describeIssueProblem,
  fileActionItemIssues,
  issueFiling,
  type IssueProblem,
} from "~/processing/github-issues.server";
import {
  GitHubIssuesForm,
  ISSUES_FORM_ID,
  type IssueFilingView,
} from "~/processing/github-issues-form";
import {
  enqueueMeetingProcessing,
  getProcessingView,
  retryMeetingProcessing,
} from "~/processing/processing.server";
import { ProcessingPanel } from "~/processing/processing-panel";
import { SummaryView } from "~/processing/summary-view";
import { hasTranscript } from "~/processing/transcript-source.server";
import { actionItemSchema, actionItemStatuses } from "~/processing/validation";
import { MeetingResultsFields } from "~/meetings/results-fields";
import { meetingResultsSchema } from "~/meetings/validation";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { revalidateAfterConflict } from "~/web/revalidate";
import { httpUrlOrNull } from "~/web/safe-url";
import { StatusBadge } from "~/meetings/status-badge";
import { DateTime, formatDuration, RelativeTime, useNow } from "~/ui/time";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.meeting.name} · Meetings · SMTG Notion` : "Meeting · SMTG Notion" },
];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const db = getDb();
  const meeting = await getMeeting(db, user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  const completed = meeting.status === "completed";
  const [processing, actionItems, canRegenerate, filing] = await Promise.all([
    getProcessingView(db, user.id, meeting, { timeoutMs: getConfig().processing.timeoutMs }),
    actionItemStatuses.includes(meeting.status) ? listActionItems(db, user.id, meeting.id) : [],
    completed ? hasTranscript(db, meeting.id) : false,
    completed ? issueFiling(db, user.id, meeting.id) : null,
  ]);
  return {
    meeting,
    now: new Date(),
    processing,
    actionItems,
    canRegenerate,
    issues: filing ? issueFilingView(filing, meeting.agentId) : null,
  };
}

function issueFilingView(
  filing: NonNullable<Awaited<ReturnType<typeof issueFiling>>>,
  agentId: string,
): IssueFilingView {
  switch (filing.status) {
    case "no_repo":
      return { status: "no_repo", agentId };
    case "reconnect":
      return { status: "reconnect", reason: filing.reason, scope: "public_repo" };
    default:
      return filing;
  }
}

/** The GitHub problem in words, and the scope to reconnect with when that would help. */
function issueError(problem: IssueProblem): NonNullable<Reply["issues"]> {
  const reconnectScope =
    problem.kind === "reconnect"
      ? "public_repo"
      : problem.kind === "repo_not_found" && problem.reconnectScopes
        ? "repo"
        : null;
  return { message: describeIssueProblem(problem), reconnectScope };
}

const problemStatus: Record<IssueProblem["kind"], number> = {
  repo_not_found: 409,
  issues_disabled: 409,
  reconnect: 409,
  refused: 409,
  rate_limited: 429,
  unavailable: 502,
};

const doneMessages: Record<MeetingMove, string> = {
  start: "Meeting started",
  cancel: "Meeting cancelled",
  end: "Meeting ended; add the transcript, recording and summary when they are ready",
  complete: "Meeting completed",
  regenerate: "A new summary is being made",
};

type Reply = {
  result?: SubmissionResult<string[]>;
  refusal: string | null;
  /** Which form `result` belongs to: the results form (unset) or the new action item. */
  form?: "item-add";
  /** Why the GitHub issues were not (all) filed. */
  issues?: { message: string; reconnectScope: "public_repo" | "repo" | null };
};

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const db = getDb();
  const { meetingId } = args.params;
  if (!(await getMeeting(db, user.id, meetingId))) throw notFound();
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  const back = (message: string) =>
    flashHeaders(message).then((headers) => redirect(`/meetings/${meetingId}`, { headers }));

  switch (intent) {
    case "retry": {
      const retried = await retryMeetingProcessing(db, user.id, meetingId);
      if (retried.status === "not_found") throw notFound();
      if (retried.status === "not_processing") {
        return data<Reply>(
          { refusal: "This meeting is no longer processing, so there is nothing to retry." },
          { status: 409 },
        );
      }
      throw await back("Processing started again");
    }
    case "finish": {
      // Complete without summary: the results the meeting has stay as they are.
      const outcome = await moveMeeting(db, user.id, meetingId, "complete");
      if (outcome.status === "not_found") throw notFound();
      if (outcome.status === "refused") {
        return data<Reply>(
          { refusal: refusalMessage("complete", outcome.current) },
          { status: 409 },
        );
      }
      throw await back("Meeting completed without a summary");
    }
    case "item-add": {
      const submission = parseWithZod(formData, { schema: actionItemSchema });
      if (submission.status !== "success") {
        return data<Reply>(
          { result: submission.reply(), refusal: null, form: "item-add" },
          { status: 400 },
        );
      }
      const added = await addActionItem(db, user.id, meetingId, submission.value);
      if (added.status === "not_found") throw notFound();
      if (added.status === "refused") {
        return data<Reply>(
          {
            result: submission.reply({
              formErrors: ["Action items can be added once the meeting has started."],
            }),
            refusal: null,
            form: "item-add",
          },
          { status: 409 },
        );
      }
      throw await back("Action item added");
    }
    case "file-issues": {
      const itemIds = formData.getAll("itemId").map(String).filter(Boolean).slice(0, 100);
      if (itemIds.length === 0) {
        return data<Reply>(
          {
            refusal: null,
            issues: {
              message: "Tick the action items to file as GitHub issues.",
              reconnectScope: null,
            },
          },
          { status: 400 },
        );
      }
      const filed = await fileActionItemIssues(db, user.id, meetingId, itemIds, {
        appUrl: getConfig().appUrl,
      });
      switch (filed.status) {
        case "not_found":
          throw notFound();
        case "not_completed":
          return data<Reply>(
            { refusal: "Action items become GitHub issues once the meeting is completed." },
            { status: 409 },
          );
        case "cannot":
          // The page shows what is missing (a repository, GitHub, a scope).
          return data<Reply>({ refusal: null }, { status: 409 });
      }
      if (filed.problem) {
        return data<Reply>(
          { refusal: null, issues: issueError(filed.problem) },
          { status: problemStatus[filed.problem.kind] },
        );
      }
      const count = filed.filed.length;
      throw await back(
        count === 0
          ? "Those action items already have GitHub issues"
          : `Filed ${count} GitHub issue${count === 1 ? "" : "s"}`,
      );
    }
    case "github-reconnect": {
      // Incremental authorization: the scopes granted so far, and the one issues need.
      const scope = formData.get("scope") === "repo" ? "repo" : "public_repo";
      const granted = (await getGitHubConnection(db, user.id))?.scopes ?? [];
      return startGitHubAuthorization(args.request, `/meetings/${meetingId}`, null, [
        ...granted,
        scope,
      ]);
    }
    case "item-done":
    case "item-undone": {
      const done = intent === "item-done";
      const item = await setActionItemDone(
        db,
        user.id,
        meetingId,
        String(formData.get("itemId") ?? ""),
        done,
      );
      if (!item) throw notFound();
      throw await back(done ? "Action item done" : "Action item open again");
    }
  }

  if (!isMeetingMove(intent) || intent === "regenerate") {
    throw new Response("Unknown action", { status: 400 });
  }
  const move = intent;
  let results = {};
  if (move === "complete") {
    const submission = parseWithZod(formData, { schema: meetingResultsSchema });
    if (submission.status !== "success") {
      return data<Reply>({ result: submission.reply(), refusal: null }, { status: 400 });
    }
    results = submission.value;
  }

  const outcome = await moveMeeting(db, user.id, meetingId, move, results);
  if (outcome.status === "not_found") throw notFound();
  if (outcome.status === "refused") {
    return data<Reply>({ refusal: refusalMessage(move, outcome.current) }, { status: 409 });
  }
  if (move === "end") await queueProcessing(user.id, meetingId);
  throw redirect(`/meetings/${outcome.meeting.id}`, {
    headers: await flashHeaders(doneMessages[move]),
  });
}

/**
 * After End: the meeting is processing whether or not its job could be queued; if not, its
 * page says processing has not started and offers to start it.
 */
async function queueProcessing(userId: string, meetingId: string) {
  try {
    await enqueueMeetingProcessing(getDb(), userId, meetingId);
  } catch (error) {
    console.error(`Could not queue the processing of meeting ${meetingId}:`, error);
  }
}

// Filing issues may have filed some before GitHub refused one: reload after any answer.
export const shouldRevalidate: typeof revalidateAfterConflict = (args) =>
  args.actionStatus !== undefined || revalidateAfterConflict(args);

export default function MeetingPage({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, processing, actionItems, canRegenerate, issues } = loaderData;
  const now = useNow(loaderData.now);
  const startedAt = meeting.startedAt ? new Date(meeting.startedAt) : null;
  const endedAt = meeting.endedAt ? new Date(meeting.endedAt) : null;

  return (
    <article aria-labelledby="meeting-title">
      <p className="text-sm">
        <Link to="/meetings" className="link">
          ← All meetings
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 id="meeting-title" className="text-2xl font-bold break-words">
              {meeting.name}
            </h1>
            <StatusBadge status={meeting.status} />
          </div>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            With{" "}
            <Link to={`/agents/${meeting.agentId}`} className="link">
              {meeting.agentName}
            </Link>{" "}
            · scheduled <RelativeTime value={meeting.createdAt} now={now} />
          </p>
        </div>
        <div className="flex gap-2">
          <Link to={`/meetings/${meeting.id}/edit`} className="btn btn-secondary">
            Edit
          </Link>
          <Link
            to={`/meetings/${meeting.id}/delete`}
            className="btn btn-secondary text-red-700 dark:text-red-400"
          >
            Delete
          </Link>
        </div>
      </div>

      {actionData?.refusal ? (
        <div className="mt-6">
          <FormErrors errors={[actionData.refusal]} />
        </div>
      ) : null}

      <section className="card mt-6" aria-label="Progress">
        <dl className="grid gap-4 sm:grid-cols-3">
          {startedAt ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Started</dt>
              <dd>
                <DateTime value={startedAt} />
              </dd>
            </div>
          ) : null}
          {startedAt && !endedAt && meeting.status === "active" ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Elapsed</dt>
              <dd data-testid="elapsed">{formatDuration(now.getTime() - startedAt.getTime())}</dd>
            </div>
          ) : null}
          {endedAt ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Ended</dt>
              <dd>
                <DateTime value={endedAt} />
              </dd>
            </div>
          ) : null}
          {startedAt && endedAt ? (
            <div>
              <dt className="text-xs font-semibold uppercase text-slate-500">Duration</dt>
              <dd data-testid="duration">
                {formatDuration(endedAt.getTime() - startedAt.getTime())}
              </dd>
            </div>
          ) : null}
          {meeting.status === "cancelled" ? (
            <div className="sm:col-span-3">
              <dt className="text-xs font-semibold uppercase text-slate-500">Cancelled</dt>
              <dd>
                <DateTime value={meeting.endedAt ?? meeting.updatedAt} />. A cancelled meeting is
                final.
              </dd>
            </div>
          ) : null}
          {meeting.status === "upcoming" ? (
            <div className="sm:col-span-3">
              <dt className="text-xs font-semibold uppercase text-slate-500">Not started</dt>
              <dd>Start the meeting when everyone is ready.</dd>
            </div>
          ) : null}
        </dl>
        <MoveButtons
          meetingId={meeting.id}
          moves={movesFrom(meeting.status).filter((m) => m !== "complete" && m !== "regenerate")}
        />
      </section>

      {processing ? <ProcessingPanel meetingId={meeting.id} view={processing} /> : null}
      {meeting.status === "completed" ? (
        <Results meeting={meeting} canRegenerate={canRegenerate} />
      ) : null}
      {actionItemStatuses.includes(meeting.status) ? (
        <ActionItemsChecklist
          meetingId={meeting.id}
          items={actionItems}
          canAdd
          lastResult={actionData?.form === "item-add" ? actionData.result : undefined}
          selection={issues?.status === "ready" ? { formId: ISSUES_FORM_ID } : undefined}
        >
          {issues && actionItems.length > 0 ? (
            <GitHubIssuesForm
              filing={issues}
              selectable={actionItems.some((item) => !item.githubIssueUrl)}
              error={actionData?.issues ?? null}
            />
          ) : null}
        </ActionItemsChecklist>
      ) : null}
      {meeting.status === "processing" ? (
        <CompleteForm
          lastResult={actionData?.form === undefined ? actionData?.result : undefined}
          meeting={meeting}
        />
      ) : null}
    </article>
  );
}

function MoveButtons({ meetingId, moves: available }: { meetingId: string; moves: MeetingMove[] }) {
  const navigation = useNavigation();
  if (available.length === 0) return null;
  const busy =
    navigation.state === "submitting" && navigation.formAction === `/meetings/${meetingId}`;
  return (
    <Form method="post" className="mt-6 flex flex-wrap gap-3">
      {available.map((move) => (
        <button
          key={move}
          type="submit"
          name="intent"
          value={move}
          disabled={busy}
          className={`btn ${move === "cancel" ? "btn-secondary" : "btn-primary"}`}
        >
          {moves[move].label}
        </button>
      ))}
    </Form>
  );
}

function CompleteForm({
  lastResult,
  meeting,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  meeting: { transcriptUrl: string | null; recordingUrl: string | null; summary: string | null };
}) {
  const [form, fields] = useSchemaForm(meetingResultsSchema, {
    lastResult,
    // Results saved earlier through the edit form are kept unless changed here.
    defaultValue: {
      transcriptUrl: meeting.transcriptUrl ?? "",
      recordingUrl: meeting.recordingUrl ?? "",
      summary: meeting.summary ?? "",
    },
  });
  return (
    <section aria-labelledby="results-title" className="card mt-6">
      <h2 id="results-title" className="text-lg font-semibold">
        Meeting results
      </h2>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <MeetingResultsFields fields={fields} />
        <SubmitButton pendingLabel="Saving…" intent="complete">
          {moves.complete.label}
        </SubmitButton>
      </Form>
    </section>
  );
}

function Results({
  meeting,
  canRegenerate,
}: {
  meeting: {
    id: string;
    transcriptUrl: string | null;
    recordingUrl: string | null;
    summary: string | null;
  };
  canRegenerate: boolean;
}) {
  const transcript = httpUrlOrNull(meeting.transcriptUrl);
  const recording = httpUrlOrNull(meeting.recordingUrl);
  return (
    <section aria-labelledby="summary-title" className="card mt-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="summary-title" className="text-lg font-semibold">
          Summary
        </h2>
        {canRegenerate ? (
          <Link to={`/meetings/${meeting.id}/regenerate`} className="btn btn-secondary">
            Regenerate summary
          </Link>
        ) : null}
      </div>
      {meeting.summary?.trim() ? (
        <div className="mt-2">
          <SummaryView text={meeting.summary} />
        </div>
      ) : (
        <p className="mt-2 text-slate-600 dark:text-slate-300">No summary was added.</p>
      )}
      <ul className="mt-4 flex flex-wrap gap-4 text-sm">
        <li>
          {transcript ? (
            <a
              href={transcript}
              rel="noopener noreferrer nofollow"
              className="text-indigo-700 underline dark:text-indigo-300"
            >
              Transcript
            </a>
          ) : (
            "No transcript"
          )}
        </li>
        <li>
          {recording ? (
            <a
              href={recording}
              rel="noopener noreferrer nofollow"
              className="text-indigo-700 underline dark:text-indigo-300"
            >
              Recording
            </a>
          ) : (
            "No recording"
          )}
        </li>
      </ul>
    </section>
  );
}
