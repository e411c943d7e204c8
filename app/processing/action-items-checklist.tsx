import { getFormProps, type SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import { Form, Link } from "react-router";
import { FormErrors, TextField } from "~/ui/field";
import { useSchemaForm } from "~/ui/schema-form";
import { SubmitButton } from "~/ui/submit-button";
import { formatMoment, transcriptMomentPath } from "./summary-format";
import { ACTION_ITEM_TEXT_MAX, actionItemSchema } from "./validation";

// A meeting's action items as a checklist: tick one done (or not), open it to edit or delete
// it, add one by hand. Every control is a form, so all of it works without JavaScript.

export interface ChecklistItem {
  id: string;
  text: string;
  owner: string | null;
  atMs: number | null;
  done: boolean;
  githubIssueUrl: string | null;
}

export function ActionItemsChecklist({
  meetingId,
  items,
  canAdd,
  lastResult,
  selection,
  children,
}: {
  meetingId: string;
  items: ChecklistItem[];
  canAdd: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
  /** With a form id: each item without an issue gets a checkbox in that form (GitHub issues). */
  selection?: { formId: string };
  /** Below the list: the GitHub issues form. */
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby="action-items-title" className="card mt-6">
      <h2 id="action-items-title" className="text-lg font-semibold">
        Action items
      </h2>
      {items.length === 0 ? (
        <p className="mt-2 text-slate-600 dark:text-slate-300">No action items yet.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-200 dark:divide-slate-800">
          {items.map((item) => (
            <ChecklistRow key={item.id} meetingId={meetingId} item={item} selection={selection} />
          ))}
        </ul>
      )}
      {children}
      {canAdd ? <AddActionItem lastResult={lastResult} /> : null}
    </section>
  );
}

function ChecklistRow({
  meetingId,
  item,
  selection,
}: {
  meetingId: string;
  item: ChecklistItem;
  selection?: { formId: string };
}) {
  return (
    <li className="flex flex-wrap items-start gap-3 py-2" data-testid="action-item">
      <Form method="post">
        <input type="hidden" name="itemId" value={item.id} />
        <button
          type="submit"
          name="intent"
          value={item.done ? "item-undone" : "item-done"}
          role="checkbox"
          aria-checked={item.done}
          aria-label={`Done: ${item.text}`}
          title={item.done ? "Mark not done" : "Mark done"}
          className="mt-0.5 flex h-5 w-5 items-center justify-center rounded border border-slate-400 text-xs dark:border-slate-500"
        >
          {item.done ? "✓" : ""}
        </button>
      </Form>
      <div className="min-w-0 flex-1">
        <p className={`break-words ${item.done ? "text-slate-500 line-through" : ""}`}>
          {item.text}
        </p>
        <p className="text-xs text-slate-500">
          {item.owner ? <span>{item.owner}</span> : <span>No owner</span>}
          {item.atMs !== null ? (
            <>
              {" · "}
              <Link
                to={transcriptMomentPath(meetingId, { atMs: item.atMs, position: null })}
                className="link"
              >
                at {formatMoment(item.atMs)}
              </Link>
            </>
          ) : null}
          {item.githubIssueUrl ? (
            <>
              {" · "}
              <a href={item.githubIssueUrl} rel="noopener noreferrer nofollow" className="link">
                GitHub issue
              </a>
            </>
          ) : null}
          {" · "}
          <Link to={`/meetings/${meetingId}/action-items/${item.id}`} className="link">
            Edit<span className="sr-only"> “{item.text}”</span>
          </Link>
        </p>
      </div>
      {selection && !item.githubIssueUrl ? (
        <label className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-300">
          <input type="checkbox" name="itemId" value={item.id} form={selection.formId} />
          <span>
            File as issue<span className="sr-only">: {item.text}</span>
          </span>
        </label>
      ) : null}
    </li>
  );
}

function AddActionItem({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useSchemaForm(actionItemSchema, { id: "add-action-item", lastResult });
  return (
    <Form method="post" {...getFormProps(form)} className="mt-5 space-y-3">
      <h3 className="text-sm font-semibold">Add an action item</h3>
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField
        label="Action item"
        meta={fields.text}
        hint={`What needs doing, up to ${ACTION_ITEM_TEXT_MAX} characters.`}
      />
      <TextField label="Owner (optional)" meta={fields.owner} />
      <SubmitButton pendingLabel="Adding…" intent="item-add" className="btn btn-secondary">
        Add action item
      </SubmitButton>
    </Form>
  );
}
