import { z } from "zod";
import { isPlainText, NOT_PLAIN_TEXT } from "~/db/plain-text";

// Limits of the meeting forms, shared by the server actions and the browser.

export const MEETING_NAME_MAX = 200;
export const MEETING_URL_MAX = 2048;
export const MEETING_SUMMARY_MAX = 20_000;

export const meetingName = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(MEETING_NAME_MAX, `Name must be at most ${MEETING_NAME_MAX} characters`)
  .refine(isPlainText, NOT_PLAIN_TEXT);

const agentId = z
  .string({ error: "Choose an agent" })
  .min(1, "Choose an agent")
  .refine(isPlainText, "Choose an agent");

/** Only absolute http(s) URLs: javascript:, data: and the like never become links. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const link = z
  .string()
  .trim()
  .max(MEETING_URL_MAX, `URLs can be at most ${MEETING_URL_MAX.toLocaleString("en-US")} characters`)
  .refine(isPlainText, NOT_PLAIN_TEXT)
  .refine(isHttpUrl, "Enter an absolute URL starting with http:// or https://")
  .optional();

const summary = z
  .string()
  .trim()
  .max(
    MEETING_SUMMARY_MAX,
    `The summary can be at most ${MEETING_SUMMARY_MAX.toLocaleString("en-US")} characters`,
  )
  .refine(isPlainText, NOT_PLAIN_TEXT)
  .optional();

export const newMeetingSchema = z.object({ name: meetingName, agentId });

/** The results of a meeting: added while processing, editable once completed. */
export const meetingResultsSchema = z.object({
  transcriptUrl: link,
  recordingUrl: link,
  summary,
});

/** The edit form; which fields apply depends on the meeting's status. */
export const editMeetingSchema = meetingResultsSchema.extend({
  name: meetingName,
  agentId: agentId.optional(),
});

export type MeetingResults = z.output<typeof meetingResultsSchema>;
