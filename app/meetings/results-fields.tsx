import type { FieldMetadata } from "@conform-to/react";
import { TextareaField, TextField } from "~/ui/field";
import { MEETING_SUMMARY_MAX } from "./validation";

type Meta = FieldMetadata<string | undefined>;

/** Transcript URL, recording URL and summary: on the processing page and the edit form. */
export function MeetingResultsFields({
  fields,
}: {
  fields: { transcriptUrl: Meta; recordingUrl: Meta; summary: Meta };
}) {
  return (
    <>
      <TextField
        label="Transcript URL"
        meta={fields.transcriptUrl}
        type="url"
        placeholder="https://"
        hint="An absolute http:// or https:// link."
      />
      <TextField
        label="Recording URL"
        meta={fields.recordingUrl}
        type="url"
        placeholder="https://"
        hint="An absolute http:// or https:// link."
      />
      <TextareaField
        label="Summary"
        meta={fields.summary}
        rows={8}
        hint={`Up to ${MEETING_SUMMARY_MAX.toLocaleString("en-US")} characters. Blank lines separate paragraphs.`}
      />
    </>
  );
}
