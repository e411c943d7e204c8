import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { createAgentViaForm } from "../support/agents";
import { meetingWithStatus, scheduleMeetingViaForm } from "../support/meetings";
import { signIn } from "../support/sign-in";

// The agents and meetings lists: sorting by column, and filters that work as one types.

test.describe.configure({ timeout: 90_000 });

function meetingLinks(page: Page) {
  return page.getByRole("list", { name: "Meetings", exact: true }).getByRole("link");
}

test("the lists sort by their columns, either way, keeping the filters", async ({ page }) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "beta", instructions: "x" });
  await createAgentViaForm(page, { name: "Alpha", instructions: "x" });
  await scheduleMeetingViaForm(page, { name: "Retro", agent: "beta" });
  await meetingWithStatus(page, { name: "kickoff", agent: "Alpha" }, "active");
  await scheduleMeetingViaForm(page, { name: "Planning", agent: "beta" });

  await page.goto("/meetings");
  const sortBy = page.getByRole("navigation", { name: "Sort meetings" });
  await expect(sortBy.getByRole("link", { name: "Created, descending" })).toHaveAttribute(
    "aria-current",
    "true",
  );
  await expect(meetingLinks(page)).toHaveText(["Planning", "kickoff", "Retro"]);

  await sortBy.getByRole("link", { name: "Name" }).click();
  await expect(page).toHaveURL(/\/meetings\?sort=name$/);
  await expect(meetingLinks(page)).toHaveText(["kickoff", "Planning", "Retro"]);
  await sortBy.getByRole("link", { name: "Name, ascending" }).click();
  await expect(page).toHaveURL(/\/meetings\?sort=-name$/);
  await expect(meetingLinks(page)).toHaveText(["Retro", "Planning", "kickoff"]);

  // Status in the order a meeting goes through them; newest first within one.
  await sortBy.getByRole("link", { name: "Status" }).click();
  await expect(page).toHaveURL(/\/meetings\?sort=status$/);
  await expect(meetingLinks(page)).toHaveText(["Planning", "Retro", "kickoff"]);

  // A filter keeps the order, and the order keeps the filter.
  const filters = page.getByRole("search", { name: "Filter meetings" });
  await filters.getByRole("searchbox", { name: "Name" }).fill("r");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/meetings\?sort=status&q=r$/);
  await expect(meetingLinks(page)).toHaveText(["Retro"]);
  await sortBy.getByRole("link", { name: "Created" }).click();
  await expect(page).toHaveURL(/\/meetings\?q=r$/);

  // The agents table: column headers that sort, saying which one is in effect.
  await page.goto("/agents");
  const table = page.getByRole("table", { name: "Agents" });
  const nameHeader = table.getByRole("columnheader", { name: "Name" });
  await expect(nameHeader).not.toHaveAttribute("aria-sort");
  await expect(table.getByRole("columnheader", { name: "Created" })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  await nameHeader.getByRole("link").click();
  await expect(page).toHaveURL(/\/agents\?sort=name$/);
  await expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(table.getByRole("row").getByRole("link", { name: /^(Alpha|beta)$/ })).toHaveText([
    "Alpha",
    "beta",
  ]);
  await table.getByRole("columnheader", { name: "Meetings" }).getByRole("link").click();
  await expect(page).toHaveURL(/\/agents\?sort=-meetings$/);
  await expect(table.getByRole("row").getByRole("link", { name: /^(Alpha|beta)$/ })).toHaveText([
    "beta",
    "Alpha",
  ]);
  // An order that does not exist is the default one.
  await page.goto("/agents?sort=instructions");
  await expect(page).toHaveURL(/\/agents$/);
});

test.describe("with JavaScript", () => {
  test.skip(
    ({ javaScriptEnabled }) => !javaScriptEnabled,
    "Filters apply as one types with JavaScript",
  );

  test("filters apply as they change, keep the focus and the scroll, and the count is announced", async ({
    page,
  }) => {
    await signIn(page);
    await createAgentViaForm(page, { name: "Planner", instructions: "x" });
    await meetingWithStatus(page, { name: "Roadmap review", agent: "Planner" }, "active");
    await scheduleMeetingViaForm(page, { name: "Roadmap sync", agent: "Planner" });
    await scheduleMeetingViaForm(page, { name: "Budget", agent: "Planner" });

    // A short window, scrolled down to the filters: applying them does not scroll back up.
    await page.setViewportSize({ width: 1280, height: 360 });
    await page.goto("/meetings");
    const filters = page.getByRole("search", { name: "Filter meetings" });
    const count = page.getByTestId("result-count");
    await expect(count).toHaveAttribute("aria-live", "polite");
    await expect(count).toHaveText("3 meetings");
    const status = filters.getByLabel("Status");
    await status.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 60));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(0);

    await status.focus();
    await status.selectOption("upcoming");
    await expect(page).toHaveURL(/\/meetings\?status=upcoming$/);
    await expect(count).toHaveText("2 meetings");
    await expect(status).toBeFocused();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);

    // Typing searches after a pause, without losing the focus or what was typed.
    const search = filters.getByRole("searchbox", { name: "Name" });
    await search.click();
    await search.pressSequentially("road", { delay: 50 });
    await expect(page).toHaveURL(/\/meetings\?status=upcoming&q=road$/);
    await expect(count).toHaveText("1 meeting");
    await expect(meetingLinks(page)).toHaveText(["Roadmap sync"]);
    await expect(search).toBeFocused();
    await expect(search).toHaveValue("road");

    // While the next results load, the list says it is busy.
    await page.route("**/meetings.data*", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await status.selectOption("");
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(1);
    await expect(page).toHaveURL(/\/meetings\?q=road$/);
    await expect(count).toHaveText("2 meetings");
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  });
});
