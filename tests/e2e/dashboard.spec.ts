import { expect, test } from "../support/fixtures";
import { createAgentViaForm } from "../support/agents";
import { meetingWithStatus, statusBadge } from "../support/meetings";
import { signIn } from "../support/sign-in";

// Each test signs in and drives several pages; on a busy machine that takes a while.
test.describe.configure({ timeout: 60_000 });

const statuses = ["upcoming", "active", "processing", "completed", "cancelled"] as const;

test("a new user's dashboard shows zero counts, empty sections and where to begin; signed out, / is the landing page", async ({
  page,
}) => {
  const person = await signIn(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${person.name}`);
  for (const status of statuses) {
    await expect(page.getByTestId(`count-${status}`)).toHaveText("0");
  }
  await expect(page.getByRole("region", { name: "Active now" })).toContainText(
    "No meeting is in progress.",
  );
  await expect(page.getByRole("region", { name: "Next up" })).toContainText(
    "No upcoming meetings.",
  );
  await expect(page.getByRole("region", { name: "Recently completed" })).toContainText(
    "No completed meetings yet.",
  );
  // Nothing waits for the person, so the dashboard does not mention it.
  await expect(page.getByRole("region", { name: "Waiting for your results" })).toHaveCount(0);

  const main = page.getByRole("main");
  await main.getByRole("link", { name: "New meeting" }).click();
  await expect(page).toHaveURL(/\/meetings\/new$/);
  await page.goBack();
  await main.getByRole("link", { name: "New agent" }).click();
  await expect(page).toHaveURL(/\/agents\/new$/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Meetings with your AI agents");
  await expect(page.getByTestId("count-upcoming")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Active now" })).toHaveCount(0);
});

test("the dashboard counts meetings per status and lists those active, next up and recently completed", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page);
  await createAgentViaForm(page, { name: "Analyst", instructions: "Analyses" });
  const summary =
    "Shipped the beta and agreed the launch date." +
    " More detail follows.".repeat(15) +
    " END-OF-SUMMARY";
  await meetingWithStatus(page, { name: "Alpha", agent: "Analyst" }, "upcoming");
  await meetingWithStatus(page, { name: "Beta", agent: "Analyst" }, "upcoming");
  await meetingWithStatus(page, { name: "Gamma", agent: "Analyst" }, "active");
  await meetingWithStatus(page, { name: "Delta", agent: "Analyst" }, "processing");
  await meetingWithStatus(page, { name: "Epsilon", agent: "Analyst" }, "completed", { summary });
  await meetingWithStatus(page, { name: "Zeta", agent: "Analyst" }, "cancelled");

  await page.goto("/");
  const counts = { upcoming: "2", active: "1", processing: "1", completed: "1", cancelled: "1" };
  for (const status of statuses) {
    await expect(page.getByTestId(`count-${status}`)).toHaveText(counts[status]);
  }

  const activeNow = page.getByRole("region", { name: "Active now" });
  await expect(activeNow.getByRole("link")).toHaveText(["Gamma"]);
  await expect(activeNow).toContainText("with Analyst · running for under 1 min");
  await expect(statusBadge(activeNow)).toHaveAttribute("data-status", "active");

  // Ended meetings wait for the person to add their results.
  const waiting = page.getByRole("region", { name: "Waiting for your results" });
  await expect(waiting.getByRole("link")).toHaveText(["Delta"]);
  await expect(waiting).toContainText("add the transcript, recording and summary");

  // Next up: the meetings created first come first.
  const nextUp = page.getByRole("region", { name: "Next up" });
  await expect(nextUp.getByRole("link")).toHaveText(["Alpha", "Beta"]);

  // Recently completed: the start of the summary, not all of it.
  const recent = page.getByRole("region", { name: "Recently completed" });
  await expect(recent.getByRole("link")).toHaveText(["Epsilon"]);
  await expect(recent).toContainText("with Analyst · ended");
  await expect(recent).toContainText("Shipped the beta and agreed the launch date.");
  await expect(recent).not.toContainText("END-OF-SUMMARY");

  // Each count leads to the list filtered by that status.
  await page.getByRole("link", { name: "Upcoming: 2" }).click();
  await expect(page).toHaveURL(/\/meetings\?status=upcoming$/);
  await expect(
    page.getByRole("list", { name: "Meetings", exact: true }).getByRole("link"),
  ).toHaveText(["Beta", "Alpha"]);
});
