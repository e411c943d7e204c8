import { expect, type APIResponse, type Locator, type Page } from "@playwright/test";

/**
 * Creates a meeting through /meetings/new, as a person would, and returns the meeting page's
 * path (/meetings/:id). `agent` is the agent's name as shown in the Agent select.
 */
export async function scheduleMeetingViaForm(
  page: Page,
  meeting: { name: string; agent: string },
): Promise<string> {
  await page.goto("/meetings/new");
  await page.getByLabel("Name", { exact: true }).fill(meeting.name);
  await page.getByLabel("Agent", { exact: true }).selectOption({ label: meeting.agent });
  await page.getByRole("button", { name: "Create meeting" }).click();
  await expect(page.getByRole("heading", { level: 1, name: meeting.name })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText("Meeting created");
  return new URL(page.url()).pathname;
}

/** The lifecycle buttons on a meeting page and the flash each one leads to. */
export const moveFlash = {
  Start: "Meeting started",
  "Cancel meeting": "Meeting cancelled",
  End: "Meeting ended; add the transcript, recording and summary when they are ready",
  "Mark completed": "Meeting completed",
} as const;

/** The final moves ask first: the confirmation's button, on its page or in its dialog. */
export const moveConfirmation: Partial<Record<keyof typeof moveFlash, string>> = {
  "Cancel meeting": "Yes, cancel the meeting",
  End: "Yes, end the meeting",
};

/**
 * The lifecycle controls inside `scope`: buttons, and without JavaScript the links that lead
 * to a final move's confirmation page.
 */
export function moveControls(scope: Page | Locator, name?: string): Locator {
  const options = name === undefined ? {} : { name, exact: true };
  return scope.getByRole("button", options).or(scope.getByRole("link", options));
}

/**
 * Clicks a lifecycle button on the meeting page that is open, confirms the move when it asks
 * (a page without JavaScript, a dialog with it), and waits for its flash.
 */
export async function moveMeeting(page: Page, button: keyof typeof moveFlash) {
  await moveControls(page, button).click();
  const confirmation = moveConfirmation[button];
  if (confirmation) await page.getByRole("button", { name: confirmation }).click();
  await expect(page.getByRole("status")).toHaveText(moveFlash[button]);
}

/** On a processing meeting's page: fills in the results and marks the meeting completed. */
export async function completeMeeting(
  page: Page,
  results: { transcriptUrl?: string; recordingUrl?: string; summary?: string } = {},
) {
  if (results.transcriptUrl)
    await page.getByLabel("Transcript URL", { exact: true }).fill(results.transcriptUrl);
  if (results.recordingUrl)
    await page.getByLabel("Recording URL", { exact: true }).fill(results.recordingUrl);
  if (results.summary) await page.getByLabel("Summary", { exact: true }).fill(results.summary);
  await moveMeeting(page, "Mark completed");
}

/**
 * Creates a meeting and moves it to `status` through the meeting page's buttons; returns
 * the meeting page's path.
 */
export async function meetingWithStatus(
  page: Page,
  meeting: { name: string; agent: string },
  status: "upcoming" | "active" | "processing" | "completed" | "cancelled",
  results?: { transcriptUrl?: string; recordingUrl?: string; summary?: string },
): Promise<string> {
  const path = await scheduleMeetingViaForm(page, meeting);
  if (status === "cancelled") await moveMeeting(page, "Cancel meeting");
  if (status === "upcoming" || status === "cancelled") return path;
  await moveMeeting(page, "Start");
  if (status === "active") return path;
  await moveMeeting(page, "End");
  if (status === "processing") return path;
  await completeMeeting(page, results);
  return path;
}

/** A meeting's status badge inside `scope` (each badge carries its status as data-status). */
export function statusBadge(scope: Page | Locator): Locator {
  return scope.locator("[data-status]");
}

/** A same-origin form POST from the signed-in page's session, to check the server's answer. */
export async function postForm(
  page: Page,
  path: string,
  form: Record<string, string> = {},
): Promise<APIResponse> {
  const origin = new URL(page.url()).origin;
  return page.request.post(path, { form, headers: { Origin: origin }, maxRedirects: 0 });
}

/** The id at the end of an /agents/:id or /meetings/:id URL or path. */
export function idFromPath(url: string): string {
  return new URL(url, "http://x").pathname.split("/").filter(Boolean).at(-1)!;
}
