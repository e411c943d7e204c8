import { z } from "zod";
import { isPlainText, NOT_PLAIN_TEXT } from "~/db/plain-text";
import type { MeetingStatus } from "~/db/schema";

// Limits of the action item forms, shared by the server actions and the browser (the table's
// CHECK constraints say the same).

export const ACTION_ITEM_TEXT_MAX = 500;
export const ACTION_ITEM_OWNER_MAX = 200;

export const actionItemSchema = z.object({
  text: z
    .string({ error: "Describe the action item" })
    .trim()
    .min(1, "Describe the action item")
    .max(ACTION_ITEM_TEXT_MAX, `An action item can be at most ${ACTION_ITEM_TEXT_MAX} characters`)
    .refine(isPlainText, NOT_PLAIN_TEXT),
  owner: z
    .string()
    .trim()
    .max(ACTION_ITEM_OWNER_MAX, `A name can be at most ${ACTION_ITEM_OWNER_MAX} characters`)
    .refine(isPlainText, NOT_PLAIN_TEXT)
    .optional(),
});

export type ActionItemForm = z.output<typeof actionItemSchema>;

/** Meetings with action items a person may change: from the start of the meeting on. */
export const actionItemStatuses: readonly MeetingStatus[] = ["active", "processing", "completed"];
