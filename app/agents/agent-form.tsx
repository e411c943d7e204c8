import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "react-router";
import { useSchemaForm } from "~/ui/schema-form";
import { SelectField, TextareaField, TextField } from "~/ui/field";
import { ErrorSummary } from "~/ui/error-summary";
import {
  AGENT_INSTRUCTIONS_MAX,
  AGENT_NAME_MAX,
  agentFieldsSchema,
  agentSchema,
} from "./validation";
import { SubmitButton } from "~/ui/submit-button";

export type RepositoryChoicesView =
  { status: "ok"; repositories: string[] } | { status: "none" | "reconnect" | "unavailable" };

/** The form's fields as strings, as the browser has them. */
type AgentFormFields = {
  name: string;
  instructions: string;
  githubRepo?: string;
  githubRepoChoice?: string;
};

export interface AgentFormValues {
  name: string;
  instructions: string;
  githubRepo: string | null;
}

/**
 * The agent form of /agents/new and /agents/:id/edit. Without JavaScript the server validates
 * and answers with this same form; with it, the same schema runs on submit.
 */
export function AgentForm({
  lastResult,
  defaultValue,
  repositories,
  submitLabel,
  hidden,
  cancelTo,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue?: AgentFormValues;
  repositories: RepositoryChoicesView;
  submitLabel: string;
  /** Hidden inputs outside conform's control: the form key or the version being edited. */
  hidden: Record<string, string>;
  cancelTo: string;
}) {
  const [form, fields] = useSchemaForm<typeof agentSchema, AgentFormFields>(agentSchema, {
    lastResult,
    defaultValue: defaultValue && { ...defaultValue, githubRepo: defaultValue.githubRepo ?? "" },
    constraintSchema: agentFieldsSchema,
  });

  return (
    <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={`${name}:${value}`} type="hidden" name={name} value={value} />
      ))}
      <ErrorSummary form={form} />
      <TextField
        label="Name"
        meta={fields.name}
        hint={`Up to ${AGENT_NAME_MAX} characters.`}
        autoComplete="off"
      />
      <TextareaField
        label="Instructions"
        meta={fields.instructions}
        rows={10}
        hint={`How the agent behaves in meetings. Up to ${AGENT_INSTRUCTIONS_MAX.toLocaleString("en-US")} characters.`}
      />
      <fieldset className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">GitHub repository (optional)</legend>
        {repositories.status === "ok" && repositories.repositories.length > 0 ? (
          <SelectField
            label="Choose one of your repositories"
            meta={fields.githubRepoChoice}
            placeholder="— or type one below —"
            options={repositories.repositories.map((fullName) => ({
              value: fullName,
              label: fullName,
            }))}
          />
        ) : null}
        <TextField
          label="Repository"
          meta={fields.githubRepo}
          placeholder="owner/name or https://github.com/owner/name"
          autoComplete="off"
          hint={repositoryHint(repositories.status)}
        />
      </fieldset>
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
        <a href={cancelTo} className="btn btn-secondary">
          Cancel
        </a>
      </div>
    </Form>
  );
}

function repositoryHint(status: RepositoryChoicesView["status"]) {
  switch (status) {
    case "none":
      return "No GitHub account is connected (Settings → Connected accounts), so the repository is saved as typed, unverified.";
    case "reconnect":
      return "Your GitHub authorization expired, so your repositories cannot be listed. Reconnect GitHub to choose from them.";
    case "unavailable":
      return "GitHub could not be reached to list your repositories; you can still type one.";
    default:
      return "Checked with GitHub when you save.";
  }
}
