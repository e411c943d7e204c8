import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "react-router";
import { FieldFrame, FormErrors, TextField } from "~/ui/field";
import { useSchemaForm } from "~/ui/schema-form";
import { SubmitButton } from "~/ui/submit-button";
import { transcriptImportPath } from "./paths";
import { formatSize } from "./segments";
import { transcriptImportSchema } from "./validation";

const accept = ".vtt,.srt,.jsonl,.json,.txt,.md,text/vtt,text/plain,application/x-subrip";

/**
 * A transcript file or URL for a meeting: on the meeting page and on the import page, whose
 * action (multipart, so it works without JavaScript) takes it either way.
 */
export function TranscriptImportForm({
  meetingId,
  maxBytes,
  replacing,
  lastResult,
}: {
  meetingId: string;
  maxBytes: number;
  /** The meeting has a transcript, which this one replaces. */
  replacing: boolean;
  lastResult?: SubmissionResult<string[]>;
}) {
  const [form, fields] = useSchemaForm(transcriptImportSchema, {
    id: "transcript-import",
    lastResult,
    shouldValidate: "onSubmit",
  });
  const action = transcriptImportPath(meetingId);
  const { key, ...fileProps } = getInputProps(fields.file, {
    type: "file",
    ariaDescribedBy: fields.file.descriptionId,
  });
  return (
    <Form
      method="post"
      action={action}
      encType="multipart/form-data"
      {...getFormProps(form)}
      className="mt-4 space-y-4"
    >
      <FormErrors id={form.errorId} errors={form.errors} />
      <FieldFrame
        label="Transcript file"
        meta={fields.file}
        hint={`WebVTT, SRT, JSON Lines (as call providers write it) or plain text, up to ${formatSize(maxBytes)}.`}
      >
        <input
          key={key}
          {...fileProps}
          accept={accept}
          className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:file:border-slate-700 dark:file:bg-slate-900"
        />
      </FieldFrame>
      <TextField
        label="Or fetch it from a URL"
        meta={fields.url}
        type="url"
        placeholder="https://"
        hint="The server downloads it and keeps the link as the meeting's transcript URL."
      />
      <SubmitButton pendingLabel="Adding the transcript…" action={action}>
        {replacing ? "Replace the transcript" : "Add the transcript"}
      </SubmitButton>
    </Form>
  );
}
