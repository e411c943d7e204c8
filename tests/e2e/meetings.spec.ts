import type { Locator, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { createAgentViaForm } from "../support/agents";
import {
  completeMeeting,
  idFromPath,
  meetingWithStatus,
  moveMeeting,
  postForm,
  scheduleMeetingViaForm,
  statusBadge,
} from "../support/meetings";
import { expectPagesNotFound, newPerson, signIn } from "../support/sign-in";

const urlError = "Enter an absolute URL starting with http:// or https://";
const urlErrorPattern = /Enter an absolute URL starting with http:\/\/ or https:\/\//;

// Each test signs in and drives several pages; on a busy machine that takes a while.
test.describe.configure({ timeout: 60_000 });

function meetingList(page: Page): Locator {
  return page.getByRole("list", { name: "Meetings", exact: true });
}

function filterForm(page: Page): Locator {
  return page.getByRole("search", { name: "Filter meetings" });
}

test("without agents, the meetings pages lead the way to creating one", async ({ page }) => {
  await signIn(page);
  await page.goto("/meetings");
  await expect(page.getByRole("heading", { name: "No meetings yet" })).toBeVisible();
  await expect(filterForm(page)).toHaveCount(0);

  await page.getByRole("link", { name: "Schedule your first meeting" }).click();
  await expect(page).toHaveURL(/\/meetings\/new$/);
  await expect(page.getByText("A meeting needs an agent to meet with")).toBeVisible();
  await expect(page.getByLabel("Agent", { exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: "Create an agent" }).click();
  await expect(page).toHaveURL(/\/agents\/new$/);
});

test("scheduling from an agent's page preselects that agent; the server checks the name", async ({
  page,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Archivist", instructions: "Keeps records" });
  const scribeUrl = await createAgentViaForm(page, { name: "Scribe", instructions: "Takes notes" });
  const scribeId = idFromPath(scribeUrl);

  await page.getByRole("link", { name: "Schedule a meeting" }).click();
  await expect(page).toHaveURL(new RegExp(`/meetings/new\\?agentId=${scribeId}$`));
  const agent = page.getByLabel("Agent", { exact: true });
  await expect(agent).toHaveValue(scribeId);
  await expect(agent.locator("option:checked")).toHaveText("Scribe");

  // The name must be 1 to 200 characters; the server enforces it whatever the browser does.
  for (const { name, message } of [
    { name: "   ", message: "Name is required" },
    { name: "x".repeat(201), message: "Name must be at most 200 characters" },
  ]) {
    const response = await postForm(page, "/meetings/new", { name, agentId: scribeId });
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain(message);
  }

  const longest = `Weekly sync ${"x".repeat(188)}`;
  expect(longest).toHaveLength(200);
  await page.getByLabel("Name", { exact: true }).fill(longest);
  await page.getByRole("button", { name: "Schedule meeting" }).click();
  await expect(page.getByRole("status")).toHaveText("Meeting scheduled");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(longest);
  await expect(statusBadge(page)).toHaveAttribute("data-status", "upcoming");
  await expect(statusBadge(page)).toContainText("Upcoming");
  await page.getByRole("link", { name: "Scribe", exact: true }).click();
  await expect(page.getByRole("region", { name: "Recent meetings" }).getByRole("link")).toHaveText([
    longest,
  ]);

  // An agent id that is not one of the user's preselects nothing.
  await page.goto("/meetings/new?agentId=not-an-agent");
  await expect(page.getByLabel("Agent", { exact: true })).toHaveValue("");
});

test("the list shows agent, status badge, start and duration, newest first, and filters by status, agent and name", async ({
  page,
  javaScriptEnabled,
}) => {
  test.setTimeout(90_000);
  await signIn(page);
  await createAgentViaForm(page, { name: "Planner", instructions: "Plans" });
  const criticUrl = await createAgentViaForm(page, { name: "Critic", instructions: "Critiques" });
  await meetingWithStatus(page, { name: "Roadmap review", agent: "Planner" }, "completed");
  await meetingWithStatus(page, { name: "Budget retro", agent: "Critic" }, "cancelled");
  await meetingWithStatus(page, { name: "Roadmap standup", agent: "Planner" }, "active");

  await page.goto("/meetings");
  const list = meetingList(page);
  await expect(list.getByRole("link")).toHaveText([
    "Roadmap standup",
    "Budget retro",
    "Roadmap review",
  ]);
  const items = list.getByRole("listitem");
  const [standup, retro, review] = [items.nth(0), items.nth(1), items.nth(2)];
  await expect(standup).toContainText("with Planner");
  await expect(standup).toContainText(/started (just now|\d+ minutes? ago)/);
  await expect(standup).not.toContainText("lasted");
  await expect(retro).toContainText("with Critic");
  await expect(retro).not.toContainText("started");
  await expect(review).toContainText(/started (just now|\d+ minutes? ago) · lasted under 1 min/);

  // Each status has its word and its own colour.
  const expected = [
    [standup, "active", "Active"],
    [retro, "cancelled", "Cancelled"],
    [review, "completed", "Completed"],
  ] as const;
  const colours = new Set<string>();
  for (const [item, status, label] of expected) {
    const badge = statusBadge(item);
    await expect(badge).toHaveAttribute("data-status", status);
    await expect(badge).toContainText(label);
    const colour = await badge.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(colour).not.toBe("rgba(0, 0, 0, 0)");
    colours.add(colour);
  }
  expect(colours.size).toBe(3);

  // With JavaScript a changed select applies at once; without, "Apply filters" does.
  const filters = filterForm(page);
  const choose = async (label: "Status" | "Agent", option: string) => {
    await filters.getByLabel(label).selectOption({ label: option });
    if (!javaScriptEnabled) await filters.getByRole("button", { name: "Apply filters" }).click();
  };

  await choose("Status", "Completed");
  await expect(page).toHaveURL(/\/meetings\?status=completed$/);
  await expect(list.getByRole("link")).toHaveText(["Roadmap review"]);

  await choose("Status", "All statuses");
  await expect(page).toHaveURL(/\/meetings$/);
  await choose("Agent", "Critic");
  await expect(page).toHaveURL(new RegExp(`/meetings\\?agentId=${idFromPath(criticUrl)}$`));
  await expect(list.getByRole("link")).toHaveText(["Budget retro"]);

  await choose("Agent", "All agents");
  await expect(page).toHaveURL(/\/meetings$/);
  await filters.getByRole("searchbox", { name: "Search" }).fill("ROADMAP");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/meetings\?q=ROADMAP$/);
  await expect(list.getByRole("link")).toHaveText(["Roadmap standup", "Roadmap review"]);

  await choose("Status", "Cancelled");
  await expect(page).toHaveURL(/\/meetings\?status=cancelled&q=ROADMAP$/);
  await expect(
    page.getByRole("heading", { name: "No meetings match these filters" }),
  ).toBeVisible();
  await expect(filters.getByLabel("Status")).toHaveValue("cancelled");
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(/\/meetings$/);
  await expect(list.getByRole("link")).toHaveCount(3);
  // The controls follow the URL, also after a client-side navigation.
  await expect(filters.getByLabel("Status")).toHaveValue("");
  await expect(filters.getByLabel("Search")).toHaveValue("");
});

test("the list shows ten meetings a page and its page links keep the filters", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page);
  await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
  for (let i = 1; i <= 12; i++) {
    await scheduleMeetingViaForm(page, {
      name: `Sync ${String(i).padStart(2, "0")}`,
      agent: "Host",
    });
  }
  await meetingWithStatus(page, { name: "Sync cancelled", agent: "Host" }, "cancelled");

  await page.goto("/meetings");
  await expect(page.getByText("13 meetings · page 1 of 2")).toBeVisible();
  await expect(meetingList(page).getByRole("listitem")).toHaveCount(10);

  const filters = filterForm(page);
  await filters.getByRole("searchbox", { name: "Search" }).fill("sync");
  await filters.getByLabel("Status").selectOption({ label: "Upcoming" });
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/meetings\?status=upcoming&q=sync$/);
  await expect(page.getByText("12 meetings · page 1 of 2")).toBeVisible();
  const links = meetingList(page).getByRole("link");
  await expect(links).toHaveCount(10);
  await expect(links.first()).toHaveText("Sync 12");
  await expect(links.last()).toHaveText("Sync 03");

  const pagination = page.getByRole("navigation", { name: "Pagination" });
  await pagination.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/meetings\?status=upcoming&q=sync&page=2$/);
  await expect(links).toHaveText(["Sync 02", "Sync 01"]);
  await expect(page.getByText("12 meetings · page 2 of 2")).toBeVisible();
  await pagination.getByRole("link", { name: "Page 1" }).click();
  await expect(page).toHaveURL(/\/meetings\?status=upcoming&q=sync$/);
  await expect(links.first()).toHaveText("Sync 12");

  // A page past the end shows the last one.
  await page.goto("/meetings?status=upcoming&q=sync&page=9");
  await expect(page).toHaveURL(/\/meetings\?status=upcoming&q=sync&page=2$/);
});

test("a cancelled meeting is final: no moves are offered and a late start is refused with 409", async ({
  page,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
  const path = await scheduleMeetingViaForm(page, { name: "Kickoff", agent: "Host" });
  const progress = page.getByRole("region", { name: "Progress" });
  await expect(progress.getByRole("button")).toHaveText(["Start", "Cancel meeting"]);

  await moveMeeting(page, "Cancel meeting");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "cancelled");
  await expect(statusBadge(page)).toContainText("Cancelled");
  await expect(progress).toContainText("A cancelled meeting is final.");
  await expect(progress.getByRole("button")).toHaveCount(0);

  const response = await postForm(page, path, { intent: "start" });
  expect(response.status()).toBe(409);
  expect(await response.text()).toContain(
    "This meeting was cancelled; a cancelled meeting is final.",
  );
  await page.goto(path);
  await expect(statusBadge(page)).toHaveAttribute("data-status", "cancelled");
});

test("a start clicked in a second tab after the first is refused with an explanation and 409", async ({
  page,
  context,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
  const path = await scheduleMeetingViaForm(page, { name: "Two tabs", agent: "Host" });
  const other = await context.newPage();
  await other.goto(path);
  await expect(other.getByRole("button", { name: "Start" })).toBeVisible();

  await moveMeeting(page, "Start");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "active");
  await expect(page.getByTestId("elapsed")).toHaveText("under 1 min");

  await other.getByRole("button", { name: "Start" }).click();
  await expect(other.getByRole("alert")).toHaveText("This meeting was already started.");
  // The refused tab now shows the meeting as it is.
  await expect(statusBadge(other)).toHaveAttribute("data-status", "active");
  await expect(other.getByRole("region", { name: "Progress" }).getByRole("button")).toHaveText([
    "End",
  ]);

  const response = await postForm(page, path, { intent: "start" });
  expect(response.status()).toBe(409);
  expect(await response.text()).toContain("This meeting was already started.");
  await page.goto(path);
  await expect(statusBadge(page)).toHaveAttribute("data-status", "active");
  await expect(page.getByRole("region", { name: "Progress" }).getByRole("button")).toHaveText([
    "End",
  ]);
});

test("transcript and recording links must be absolute http(s) URLs, with the error beside the field", async ({
  page,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Host", instructions: "Hosts" });
  const path = await meetingWithStatus(page, { name: "Links", agent: "Host" }, "processing");
  const transcript = page.getByLabel("Transcript URL", { exact: true });
  const recording = page.getByLabel("Recording URL", { exact: true });
  const summary = page.getByLabel("Summary", { exact: true });

  await transcript.fill("javascript:alert(1)");
  await recording.fill("https://video.example.com/links.mp4");
  await summary.fill("Kept while the link is fixed");
  await page.getByRole("button", { name: "Mark completed" }).click();
  await expect(transcript).toHaveAttribute("aria-invalid", "true");
  await expect(transcript).toHaveAccessibleDescription(urlErrorPattern);
  await expect(page.getByText(urlError)).toHaveCount(1);
  await expect(recording).not.toHaveAttribute("aria-invalid", "true");
  await expect(recording).toHaveValue("https://video.example.com/links.mp4");
  await expect(summary).toHaveValue("Kept while the link is fixed");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "processing");

  await transcript.fill("https://notes.example.com/links");
  await recording.fill("data:text/html,x");
  await page.getByRole("button", { name: "Mark completed" }).click();
  await expect(recording).toHaveAttribute("aria-invalid", "true");
  await expect(recording).toHaveAccessibleDescription(urlErrorPattern);
  await expect(page.getByText(urlError)).toHaveCount(1);
  await expect(transcript).toHaveValue("https://notes.example.com/links");
  await expect(summary).toHaveValue("Kept while the link is fixed");

  // The server refuses such links too, whatever the browser checked.
  const response = await postForm(page, path, {
    intent: "complete",
    transcriptUrl: "javascript:alert(1)",
    recordingUrl: "https://video.example.com/links.mp4",
  });
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain(urlError);

  await page.goto(path); // not reload: without JavaScript that would post the form again
  await expect(statusBadge(page)).toHaveAttribute("data-status", "processing");
  await completeMeeting(page, {
    transcriptUrl: "https://notes.example.com/links",
    recordingUrl: "http://video.example.com/links.mp4",
  });
  await expect(page.getByRole("link", { name: "Transcript" })).toHaveAttribute(
    "href",
    "https://notes.example.com/links",
  );
  await expect(page.getByRole("link", { name: "Recording" })).toHaveAttribute(
    "href",
    "http://video.example.com/links.mp4",
  );
  await expect(page.getByText("No summary was added.")).toBeVisible();
});

test("editing changes the name any time, the agent only while upcoming, and the results once ended", async ({
  page,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "First agent", instructions: "One" });
  await createAgentViaForm(page, { name: "Second agent", instructions: "Two" });
  await scheduleMeetingViaForm(page, { name: "Draft name", agent: "First agent" });
  const edit = async () => {
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Edit /);
  };
  const save = async () => {
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status")).toHaveText("Changes saved");
  };

  // Upcoming: name and agent.
  await edit();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Draft name");
  await expect(page.getByLabel("Agent", { exact: true }).locator("option:checked")).toHaveText(
    "First agent",
  );
  await expect(page.getByLabel("Transcript URL", { exact: true })).toHaveCount(0);
  await page.getByLabel("Name", { exact: true }).fill("Design review");
  await page.getByLabel("Agent", { exact: true }).selectOption({ label: "Second agent" });
  await save();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Design review");
  await expect(page.getByRole("link", { name: "Second agent", exact: true })).toBeVisible();

  // Active: the name only.
  await moveMeeting(page, "Start");
  await edit();
  await expect(page.getByLabel("Agent", { exact: true })).toHaveCount(0);
  await expect(page.getByText("Agent: Second agent (the agent can only change")).toBeVisible();
  await expect(page.getByLabel("Transcript URL", { exact: true })).toHaveCount(0);
  await page.getByLabel("Name", { exact: true }).fill("Design review (live)");
  await save();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Design review (live)");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "active");

  // Processing: the results too, with the same rule for links.
  await moveMeeting(page, "End");
  await edit();
  await expect(page.getByLabel("Agent", { exact: true })).toHaveCount(0);
  await page.getByLabel("Transcript URL", { exact: true }).fill("data:text/html,x");
  await page.getByLabel("Summary", { exact: true }).fill("Early notes");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByLabel("Transcript URL", { exact: true })).toHaveAccessibleDescription(
    urlErrorPattern,
  );
  await expect(page.getByLabel("Summary", { exact: true })).toHaveValue("Early notes");
  await page.getByLabel("Transcript URL", { exact: true }).fill("https://notes.example.com/design");
  await save();
  await expect(statusBadge(page)).toHaveAttribute("data-status", "processing");

  // Completing keeps what was saved through the edit form unless it is changed there.
  await expect(page.getByLabel("Transcript URL", { exact: true })).toHaveValue(
    "https://notes.example.com/design",
  );
  await expect(page.getByLabel("Summary", { exact: true })).toHaveValue("Early notes");
  await completeMeeting(page, { summary: "First draft" });
  await expect(page.getByRole("link", { name: "Transcript" })).toHaveAttribute(
    "href",
    "https://notes.example.com/design",
  );

  // Completed: the results stay editable.
  await edit();
  await expect(page.getByLabel("Transcript URL", { exact: true })).toHaveValue(
    "https://notes.example.com/design",
  );
  await expect(page.getByLabel("Summary", { exact: true })).toHaveValue("First draft");
  await page
    .getByLabel("Summary", { exact: true })
    .fill("We chose option B.\n\nFollow-up next week.");
  await page
    .getByLabel("Recording URL", { exact: true })
    .fill("https://video.example.com/design.mp4");
  await save();
  await expect(statusBadge(page)).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("summary").getByRole("paragraph")).toHaveText([
    "We chose option B.",
    "Follow-up next week.",
  ]);
  await expect(page.getByRole("link", { name: "Recording" })).toHaveAttribute(
    "href",
    "https://video.example.com/design.mp4",
  );
});

test("deleting a meeting asks for confirmation and leaves the agent", async ({ page }) => {
  await signIn(page);
  const agentUrl = await createAgentViaForm(page, { name: "Keeper", instructions: "Stays" });
  const path = await scheduleMeetingViaForm(page, { name: "Obsolete sync", agent: "Keeper" });

  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${path}/delete$`));
  await expect(page.getByRole("heading", { name: "Delete Obsolete sync?" })).toBeVisible();
  await expect(page.getByText("The agent stays.")).toBeVisible();
  await page.getByRole("link", { name: "Keep it" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Obsolete sync");

  await page.getByRole("link", { name: "Delete", exact: true }).click();
  await page.getByRole("button", { name: "Delete meeting" }).click();
  await expect(page).toHaveURL(/\/meetings$/);
  await expect(page.getByRole("status")).toHaveText("Meeting “Obsolete sync” deleted");
  await expect(page.getByRole("heading", { name: "No meetings yet" })).toBeVisible();

  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await page.goto(agentUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keeper");
  await expect(page.getByText("No meetings with this agent yet.")).toBeVisible();
});

test("another user's meeting is a 404 on every page and action, and their agent cannot be used", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const agentUrl = await createAgentViaForm(page, { name: "Private agent", instructions: "x" });
  const path = await scheduleMeetingViaForm(page, {
    name: "Private meeting",
    agent: "Private agent",
  });

  const intruder = await browser.newContext();
  try {
    const other = await intruder.newPage();
    await signIn(other, newPerson("intruder"));
    await expectPagesNotFound(other, path);
    for (const intent of ["start", "cancel"]) {
      expect((await postForm(other, path, { intent })).status()).toBe(404);
    }
    const edit = await postForm(other, `${path}/edit`, {
      name: "Hijacked",
      version: new Date().toISOString(),
    });
    expect(edit.status()).toBe(404);
    expect((await postForm(other, `${path}/delete`)).status()).toBe(404);

    // Scheduling with someone else's agent is a field error, and nothing is created.
    await createAgentViaForm(other, { name: "Own agent", instructions: "y" });
    const scheduled = await postForm(other, "/meetings/new", {
      name: "Sneaky",
      agentId: idFromPath(agentUrl),
    });
    expect(scheduled.status()).toBe(422);
    expect(await scheduled.text()).toContain("Choose one of your agents");
    await other.goto("/meetings");
    await expect(other.getByRole("heading", { name: "No meetings yet" })).toBeVisible();
  } finally {
    await intruder.close();
  }

  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Private meeting");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "upcoming");
});

test("the whole life of a meeting, from the agent's page to completed, shows in the list and on the dashboard", async ({
  page,
}) => {
  await signIn(page);
  const agentUrl = await createAgentViaForm(page, {
    name: "Facilitator",
    instructions: "Runs the meeting",
  });
  await page.getByRole("link", { name: "Schedule a meeting" }).click();
  await expect(page.getByLabel("Agent", { exact: true })).toHaveValue(idFromPath(agentUrl));
  await page.getByLabel("Name", { exact: true }).fill("Quarterly planning");
  await page.getByRole("button", { name: "Schedule meeting" }).click();
  await expect(page.getByRole("status")).toHaveText("Meeting scheduled");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "upcoming");
  const path = new URL(page.url()).pathname;

  await moveMeeting(page, "Start");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "active");
  await page.goto("/");
  await expect(page.getByTestId("count-active")).toHaveText("1");
  const activeNow = page.getByRole("region", { name: "Active now" });
  await expect(activeNow).toContainText("running for under 1 min");
  await activeNow.getByRole("link", { name: "Quarterly planning" }).click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));

  await moveMeeting(page, "End");
  await expect(statusBadge(page)).toHaveAttribute("data-status", "processing");
  await expect(page.getByRole("button", { name: "End" })).toHaveCount(0);
  await completeMeeting(page, {
    transcriptUrl: "https://notes.example.com/q3/transcript",
    recordingUrl: "https://video.example.com/q3.mp4",
    summary: "We agreed the roadmap.\n\nNext steps: hire two engineers.",
  });
  await expect(statusBadge(page)).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("summary").getByRole("paragraph")).toHaveText([
    "We agreed the roadmap.",
    "Next steps: hire two engineers.",
  ]);
  await expect(page.getByTestId("duration")).toHaveText("under 1 min");
  await expect(page.getByRole("link", { name: "Transcript" })).toHaveAttribute(
    "href",
    "https://notes.example.com/q3/transcript",
  );
  await expect(page.getByRole("link", { name: "Recording" })).toHaveAttribute(
    "href",
    "https://video.example.com/q3.mp4",
  );
  await expect(page.getByRole("region", { name: "Progress" }).getByRole("button")).toHaveCount(0);

  await page.getByRole("link", { name: "← All meetings" }).click();
  const item = meetingList(page).getByRole("listitem");
  await expect(item).toHaveCount(1);
  await expect(item.getByRole("link")).toHaveText("Quarterly planning");
  await expect(item).toContainText("with Facilitator");
  await expect(item).toContainText("lasted under 1 min");
  await expect(statusBadge(item)).toHaveAttribute("data-status", "completed");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Dashboard" })
    .click();
  await expect(page.getByTestId("count-completed")).toHaveText("1");
  for (const status of ["upcoming", "active", "processing", "cancelled"]) {
    await expect(page.getByTestId(`count-${status}`)).toHaveText("0");
  }
  await expect(activeNow).toContainText("No meeting is in progress.");
  const recent = page.getByRole("region", { name: "Recently completed" });
  await expect(recent.getByRole("link")).toHaveText(["Quarterly planning"]);
  await expect(recent).toContainText("We agreed the roadmap.");
});
