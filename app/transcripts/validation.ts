import { z } from "zod";
import type { MeetingStatus } from "~/db/schema";
import { isPlainText, NOT_PLAIN_TEXT } from "~/db/plain-text";
import { isHttpUrl, MEETING_URL_MAX } from "~/meetings/validation";
import { SPEAKER_LABEL_MAX } from "./segments";

// The transcript forms' rules, shared by the server actions and the browser.

/** A transcript can be added once a meeting has started, and replaced afterwards. */
export const transcriptStatuses = ["active", "processing", "completed"] as const;

export function acceptsTranscript(status: MeetingStatus): boolean {
  return (transcriptStatuses as readonly string[]).includes(status);
}

export const transcriptImportSchema = z
  .object({
    file: z.instanceof(File).optional(),
    url: z
      .string()
      .trim()
      .max(
        MEETING_URL_MAX,
        `URLs can be at most ${MEETING_URL_MAX.toLocaleString("en-US")} characters`,
      )
      .refine(isPlainText, NOT_PLAIN_TEXT)
      .refine(isHttpUrl, "Enter an absolute URL starting with https://")
      .optional(),
  })
  .superRefine((value, context) => {
    if (value.file && value.url) {
      context.addIssue({
        code: "custom",
        path: ["url"],
        message: "Choose a file or enter a URL, not both",
      });
    } else if (!value.file && !value.url) {
      context.addIssue({
        code: "custom",
        path: ["file"],
        message: "Choose a transcript file, or enter its URL below",
      });
    }
  });

export const SPEAKER_NAME_MAX = SPEAKER_LABEL_MAX;

export const speakerRenameSchema = z.object({
  label: z.string({ error: "Choose a speaker" }).min(1, "Choose a speaker"),
  name: z
    .string()
    .trim()
    .max(SPEAKER_NAME_MAX, `A name can be at most ${SPEAKER_NAME_MAX} characters`)
    .refine(isPlainText, NOT_PLAIN_TEXT)
    .optional(),
});
