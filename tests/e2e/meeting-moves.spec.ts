import { expect, test } from "../support/fixtures";
import { createAgentViaForm } from "../support/agents";
import { moveControls, scheduleMeetingViaForm, statusBadge } from "../support/meetings";
import { signIn } from "../support/sign-in";

// The lifecycle buttons: Start is one click; Cancel and End are final and ask first (a page
// without JavaScript, a dialog with it). After a move the focus is on its outcome.

test.describe.configure({ timeout: 60_000 });

test("cancelling asks first: keeping the meeting changes nothing, confirming cancels it", async ({
  page,
  javaScriptEnabled,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
  const path = await scheduleMeetingViaForm(page, { name: "Kickoff", agent: "Host" });
  const progress = page.getByRole("region", { name: "Progress" });
  const cancel = moveControls(progress, "Cancel meeting");

  await cancel.click();
  await expect(page.getByRole("heading", { name: "Cancel “Kickoff”?" })).toBeVisible();
  await expect(page.getByText("A cancelled meeting is final")).toBeVisible();
  if (javaScriptEnabled) {
    const dialog = page.getByRole("dialog", { name: "Cancel “Kickoff”?" });
    await expect(dialog).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    // The safe choice has the focus, and Tab stays inside the dialog.
    const keep = dialog.getByRole("button", { name: "Keep it" });
    const confirm = dialog.getByRole("button", { name: "Yes, cancel the meeting" });
    await expect(keep).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(keep).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(confirm).toBeFocused();
    // Escape closes it, and the focus is back on the button that opened it.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(cancel).toBeFocused();
    await cancel.click();
    await keep.click();
    await expect(dialog).toBeHidden();
    await expect(cancel).toBeFocused();
  } else {
    await expect(page).toHaveURL(new RegExp(`${path}/cancel$`));
    await expect(page).toHaveTitle("Cancel meeting: Kickoff · SMTG Notion");
    await page.getByRole("link", { name: "Keep it" }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  }
  await expect(statusBadge(page)).toHaveAttribute("data-status", "upcoming");

  await cancel.click();
  await page.getByRole("button", { name: "Yes, cancel the meeting" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByText("Meeting cancelled")).toBeFocused();
  await expect(statusBadge(page)).toHaveAttribute("data-status", "cancelled");
  await expect(moveControls(progress)).toHaveCount(0);

  // An old confirmation link says why there is nothing to confirm.
  await page.goto(`${path}/cancel`);
  await expect(page.getByText("This meeting was already cancelled.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Yes, cancel the meeting" })).toHaveCount(0);
});

test("starting takes one click, ending asks first, and the focus lands on each outcome", async ({
  page,
  javaScriptEnabled,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
  const path = await scheduleMeetingViaForm(page, { name: "Standup", agent: "Host" });
  const progress = page.getByRole("region", { name: "Progress" });

  await moveControls(progress, "Start").click();
  await expect(page.getByText("Meeting started")).toBeFocused();
  await expect(statusBadge(page)).toHaveAttribute("data-status", "active");

  await moveControls(progress, "End").click();
  await expect(page.getByRole("heading", { name: "End “Standup”?" })).toBeVisible();
  if (!javaScriptEnabled) await expect(page).toHaveURL(new RegExp(`${path}/end$`));
  await page.getByRole("button", { name: "Yes, end the meeting" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByText(/^Meeting ended/)).toBeFocused();
  await expect(statusBadge(page)).toHaveAttribute("data-status", "processing");
  await expect(moveControls(progress)).toHaveCount(0);
});

test.describe("with JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "Pending states need JavaScript");

  test("a move under way says so on its button and in a progress bar", async ({ page }) => {
    await signIn(page);
    await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
    const path = await scheduleMeetingViaForm(page, { name: "Slow start", agent: "Host" });
    // The server takes its time to answer the move.
    await page.route(`**${path}.data*`, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    const progressBar = page.getByTestId("navigation-progress");
    await expect(progressBar).toHaveCount(0);

    await page.getByRole("button", { name: "Start", exact: true }).click();
    await expect(page.getByRole("button", { name: "Starting…" })).toBeDisabled();
    await expect(progressBar).toHaveCSS("opacity", "1");
    await expect(page.getByText("Meeting started")).toBeFocused();
    await expect(progressBar).toHaveCount(0);
  });
});
