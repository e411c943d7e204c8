import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/action-item";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { getMeeting } from "~/meetings/queries.server";
import { deleteActionItem, editActionItem, getActionItem } from "~/processing/action-items.server";
import { actionItemSchema } from "~/processing/validation";
import { FormErrors, TextField } from "~/ui/field";
import { useSchemaForm } from "~/ui/schema-form";
import { SubmitButton } from "~/ui/submit-button";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";

// One action item: edit its text and owner, or delete it. The page shows what a deletion
// loses, so its Delete button is the confirmation (it works without JavaScript).

export const meta: Route.MetaFunction = () => [{ title: "Action item · SMTG Notion" }];

async function load(userId: string, meetingId: string, itemId: string) {
  const db = getDb();
  const [meeting, item] = await Promise.all([
    getMeeting(db, userId, meetingId),
    getActionItem(db, userId, meetingId, itemId),
  ]);
  if (!meeting || !item) throw notFound();
  return { meeting: { id: meeting.id, name: meeting.name }, item };
}

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  return load(user.id, args.params.meetingId, args.params.itemId);
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const { meetingId, itemId } = args.params;
  await load(user.id, meetingId, itemId);
  const formData = await args.request.formData();
  const db = getDb();
  const back = async (message: string) =>
    redirect(`/meetings/${meetingId}`, { headers: await flashHeaders(message) });

  if (formData.get("intent") === "delete") {
    if (!(await deleteActionItem(db, user.id, meetingId, itemId))) throw notFound();
    throw await back("Action item deleted");
  }
  const submission = parseWithZod(formData, { schema: actionItemSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  if (!(await editActionItem(db, user.id, meetingId, itemId, submission.value))) throw notFound();
  throw await back("Action item saved");
}

export default function ActionItemPage({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, item } = loaderData;
  const [form, fields] = useSchemaForm(actionItemSchema, {
    id: "edit-action-item",
    lastResult: actionData?.result,
    defaultValue: { text: item.text, owner: item.owner ?? "" },
  });
  return (
    <section aria-labelledby="item-title" className="card max-w-2xl">
      <p className="text-sm">
        <Link to={`/meetings/${meeting.id}`} className="link">
          ← {meeting.name}
        </Link>
      </p>
      <h1 id="item-title" className="mt-2 text-2xl font-bold">
        Edit action item
      </h1>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField label="Action item" meta={fields.text} />
        <TextField label="Owner (optional)" meta={fields.owner} />
        <div className="flex gap-3">
          <SubmitButton pendingLabel="Saving…" intent="save">
            Save
          </SubmitButton>
          <Link to={`/meetings/${meeting.id}`} className="btn btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>
      <Form method="post" className="mt-8 border-t border-slate-200 pt-4 dark:border-slate-800">
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Deleting removes “{item.text}” from the meeting
          {item.githubIssueUrl ? "; its GitHub issue stays on GitHub" : ""}. This cannot be undone.
        </p>
        <SubmitButton pendingLabel="Deleting…" intent="delete" className="btn btn-danger mt-3">
          Delete action item
        </SubmitButton>
      </Form>
    </section>
  );
}
