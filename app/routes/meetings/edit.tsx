import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { listAgentChoices } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { parseVersion } from "~/db/version.server";
import { editableFields } from "~/meetings/lifecycle";
import { getMeeting, updateMeeting } from "~/meetings/queries.server";
import { MeetingResultsFields } from "~/meetings/results-fields";
import { editMeetingSchema } from "~/meetings/validation";
import { useSchemaForm } from "~/ui/schema-form";
import { FormErrors, SelectField, TextField } from "~/ui/field";
import { flashHeaders } from "~/web/flash.server";
import { notFound } from "~/web/not-found";
import { revalidateAfterConflict } from "~/web/revalidate";
import { StatusBadge } from "~/meetings/status-badge";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Edit ${data.meeting.name} · SMTG Notion` : "Edit meeting · SMTG Notion" },
];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const meeting = await getMeeting(getDb(), user.id, args.params.meetingId);
  if (!meeting) throw notFound();
  const agents = editableFields(meeting.status).agent
    ? await listAgentChoices(getDb(), user.id)
    : [];
  return { meeting, agents };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const db = getDb();
  const { meetingId } = args.params;
  if (!(await getMeeting(db, user.id, meetingId))) throw notFound();
  const formData = await readForm(args);
  const submission = parseForm(formData, editMeetingSchema);
  if (submission.status !== "success") {
    return data({ result: submission.reply(), saved: null }, { status: 400 });
  }
  const version = parseVersion(formData.get("version"));
  if (!version) throw new Response("Missing version", { status: 400 });

  const result = await updateMeeting(db, user.id, meetingId, version, submission.value);
  switch (result.status) {
    case "not_found":
      throw notFound();
    case "agent_not_found":
      return data(
        {
          result: submission.reply({ fieldErrors: { agentId: ["Choose one of your agents"] } }),
          saved: null,
        },
        { status: 422 },
      );
    case "conflict":
      return data(
        {
          result: submission.reply({
            formErrors: [
              "This meeting was changed elsewhere (edited, started or ended) after you opened this form. Your input is kept below; compare it with the saved version, then save again.",
            ],
          }),
          saved: {
            name: result.current.name,
            status: result.current.status,
            agentName: result.current.agentName,
            summary: result.current.summary,
          },
        },
        { status: 409 },
      );
    case "updated":
      throw redirect(`/meetings/${meetingId}`, { headers: await flashHeaders("Changes saved") });
  }
}

export const shouldRevalidate = revalidateAfterConflict;

export default function EditMeeting({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, agents } = loaderData;
  const editable = editableFields(meeting.status);
  const [form, fields] = useSchemaForm(editMeetingSchema, {
    lastResult: actionData?.result,
    defaultValue: {
      name: meeting.name,
      agentId: meeting.agentId,
      transcriptUrl: meeting.transcriptUrl ?? "",
      recordingUrl: meeting.recordingUrl ?? "",
      summary: meeting.summary ?? "",
    },
  });
  // The version the form was loaded from; after a conflict the reloaded page has the newer one.
  const version = new Date(meeting.updatedAt).toISOString();

  return (
    <section aria-labelledby="edit-meeting-title" className="max-w-2xl">
      <h1 id="edit-meeting-title" className="text-2xl font-bold break-words">
        Edit {meeting.name}
      </h1>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
        <input key={version} type="hidden" name="version" value={version} />
        <FormErrors id={form.errorId} errors={form.errors} />
        {actionData?.saved ? (
          <aside
            aria-label="Saved version"
            className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950"
          >
            <p className="font-semibold">The saved version now reads</p>
            <p className="mt-2 flex flex-wrap items-center gap-2 break-words">
              <span data-testid="saved-name">{actionData.saved.name}</span>
              <StatusBadge status={actionData.saved.status} /> with {actionData.saved.agentName}
            </p>
            {actionData.saved.summary ? (
              <p className="mt-2 whitespace-pre-wrap break-words">{actionData.saved.summary}</p>
            ) : null}
          </aside>
        ) : null}
        <TextField label="Name" meta={fields.name} autoComplete="off" />
        {editable.agent ? (
          <SelectField
            label="Agent"
            meta={fields.agentId}
            options={agents.map((agent) => ({ value: agent.id, label: agent.name }))}
          />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Agent: {meeting.agentName} (the agent can only change before the meeting starts).
          </p>
        )}
        {editable.results ? <MeetingResultsFields fields={fields} /> : null}
        <div className="flex gap-3">
          <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
          <Link to={`/meetings/${meeting.id}`} className="btn btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
