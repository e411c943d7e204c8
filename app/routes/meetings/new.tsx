import { getFormProps } from "@conform-to/react";
import { parseForm, readForm } from "~/web/form.server";
import { nanoid } from "nanoid";
import { data, Form, Link, redirect } from "react-router";
import type { Route } from "./+types/new";
import { listAgentChoices } from "~/agents/queries.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db/client.server";
import { createMeeting } from "~/meetings/queries.server";
import { newMeetingSchema } from "~/meetings/validation";
import { FieldErrors, SelectField, TextField } from "~/ui/field";
import { useSchemaForm } from "~/ui/schema-form";
import { flashHeaders } from "~/web/flash.server";
import { SubmitButton } from "~/ui/submit-button";

export const meta: Route.MetaFunction = () => [{ title: "New meeting · SMTG Notion" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  const agents = await listAgentChoices(getDb(), user.id);
  const wanted = args.url.searchParams.get("agentId");
  return {
    agents,
    preselected: agents.some((a) => a.id === wanted) ? wanted : null,
    formKey: nanoid(),
  };
}

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args);
  const formData = await readForm(args);
  const submission = parseForm(formData, newMeetingSchema);
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const meeting = await createMeeting(
    getDb(),
    user.id,
    submission.value,
    String(formData.get("formKey") ?? ""),
  );
  if (!meeting) {
    return data(
      { result: submission.reply({ fieldErrors: { agentId: ["Choose one of your agents"] } }) },
      { status: 422 },
    );
  }
  throw redirect(`/meetings/${meeting.id}`, { headers: await flashHeaders("Meeting scheduled") });
}

export default function NewMeeting({ loaderData, actionData }: Route.ComponentProps) {
  const { agents, preselected, formKey } = loaderData;
  const [form, fields] = useSchemaForm(newMeetingSchema, {
    lastResult: actionData?.result,
    defaultValue: { agentId: preselected ?? "" },
  });

  return (
    <section aria-labelledby="new-meeting-title" className="max-w-2xl">
      <h1 id="new-meeting-title" className="text-2xl font-bold">
        New meeting
      </h1>
      {agents.length === 0 ? (
        <div className="card mt-6">
          <p>A meeting needs an agent to meet with, and you have none yet.</p>
          <Link to="/agents/new" className="btn btn-primary mt-4">
            Create an agent
          </Link>
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
          <input type="hidden" name="formKey" value={formKey} />
          <TextField label="Name" meta={fields.name} autoComplete="off" />
          <SelectField
            label="Agent"
            meta={fields.agentId}
            placeholder="Choose an agent"
            options={agents.map((agent) => ({ value: agent.id, label: agent.name }))}
          />
          <FieldErrors id={form.errorId} errors={form.errors} />
          <div className="flex gap-3">
            <SubmitButton pendingLabel="Scheduling…">Schedule meeting</SubmitButton>
            <Link to="/meetings" className="btn btn-secondary">
              Cancel
            </Link>
          </div>
        </Form>
      )}
    </section>
  );
}
