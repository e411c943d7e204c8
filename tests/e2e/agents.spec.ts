import { expect, test } from "../support/fixtures";
import { createAgentViaForm, setStandInFault } from "../support/agents";
import { newAccount, signUpWithPassword } from "../support/accounts";
import { expectPagesNotFound, newPerson, signIn } from "../support/sign-in";

test("creating an agent shows it with its instructions as text", async ({ page }) => {
  await signIn(page);
  await page.goto("/agents");
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();
  await page.getByRole("link", { name: "Create your first agent" }).click();
  await page.getByLabel("Name").fill("  Scribe  ");
  await page.getByLabel("Instructions").fill("Line one\nLine two <b>not bold</b>");
  await page.getByRole("button", { name: "Create agent" }).click();

  await expect(page.getByRole("status")).toHaveText("Agent created");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Scribe");
  const instructions = page.getByTestId("agent-instructions");
  await expect(instructions).toHaveText("Line one\nLine two <b>not bold</b>");
  await expect(instructions.locator("b")).toHaveCount(0);
  // The flash is shown once.
  await page.reload();
  await expect(page.getByText("Agent created")).toHaveCount(0);
});

test("validation errors appear beside the fields and keep what was typed", async ({ page }) => {
  await signIn(page);
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill("x".repeat(101));
  await page.getByLabel("Instructions").fill("Keep these instructions");
  await page.getByLabel("Repository", { exact: true }).fill("not a repository");
  await page.getByRole("button", { name: "Create agent" }).click();

  // The error summary lists each error, linking to its field; each field names its own error.
  await expect(page.getByRole("alert").getByRole("link")).toHaveText([
    "Name must be at most 100 characters",
    /^Enter a repository as owner\/name/,
  ]);
  await expect(page.getByLabel("Name")).toHaveAccessibleDescription(
    /Name must be at most 100 characters/,
  );
  await expect(page.getByLabel("Repository", { exact: true })).toHaveAccessibleDescription(
    /Enter a repository as owner\/name/,
  );
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Instructions")).toHaveValue("Keep these instructions");
  await expect(page.getByLabel("Repository", { exact: true })).toHaveValue("not a repository");
  await expect(page).toHaveURL(/\/agents\/new$/);

  await page.getByLabel("Name").fill("Fixed");
  await page.getByLabel("Repository", { exact: true }).fill("");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fixed");
});

test("a refused form starts with an error summary that takes the focus and leads to each field", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/agents/new");
  await expect(page).toHaveTitle("New agent · SMTG Notion");
  await page.getByLabel("Name").fill("x".repeat(101));
  await page.getByLabel("Instructions").fill("Kept");
  await page.getByLabel("Repository", { exact: true }).fill("not a repository");
  await page.getByRole("button", { name: "Create agent" }).click();

  // Checked by the browser with JavaScript, by the server without: the same summary, focused.
  const summary = page.getByRole("alert");
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("heading")).toHaveText("There is a problem");
  await expect(page).toHaveTitle("Error: New agent · SMTG Notion");
  const links = summary.getByRole("link");
  await expect(links).toHaveText([
    "Name must be at most 100 characters",
    /^Enter a repository as owner\/name/,
  ]);
  await links.nth(1).click();
  await expect(page.getByLabel("Repository", { exact: true })).toBeFocused();

  await page.getByLabel("Name").fill("Summarised");
  await page.getByLabel("Repository", { exact: true }).fill("");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Summarised");
  await expect(page).toHaveTitle("Summarised · Agents · SMTG Notion");
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("the server answers an invalid form with 400 and nothing is created", async ({ page }) => {
  await signIn(page);
  await page.goto("/agents/new");
  const response = await page.request.post("/agents/new", {
    form: { name: "", instructions: "Only instructions" },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain("Name is required");
  await page.goto("/agents");
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();
});

test("editing an agent saves the changes", async ({ page }) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Draft", instructions: "Old" });
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("Draft");
  await page.getByLabel("Name").fill("Final");
  await page.getByLabel("Instructions").fill("New instructions");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("Changes saved");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Final");
  await expect(page.getByTestId("agent-instructions")).toHaveText("New instructions");
});

test("a concurrent edit is refused with the saved version shown and the user's text kept", async ({
  page,
  context,
}) => {
  await signIn(page);
  const url = await createAgentViaForm(page, { name: "Shared", instructions: "Original" });
  const other = await context.newPage();
  await other.goto(`${url}/edit`);
  await page.goto(`${url}/edit`);

  await other.getByLabel("Instructions").fill("Saved first in another tab");
  await other.getByRole("button", { name: "Save changes" }).click();
  await expect(other.getByRole("status")).toHaveText("Changes saved");

  await page.getByLabel("Instructions").fill("My careful rewrite");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert")).toContainText("changed elsewhere");
  await expect(page.getByTestId("conflict-instructions")).toHaveText("Saved first in another tab");
  await expect(page.getByLabel("Instructions")).toHaveValue("My careful rewrite");

  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("Changes saved");
  await expect(page.getByTestId("agent-instructions")).toHaveText("My careful rewrite");
});

test("deleting an agent asks for confirmation, naming what will be lost", async ({ page }) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Doomed", instructions: "Bye" });
  await page.getByRole("link", { name: "Delete" }).click();
  await expect(page.getByRole("heading", { name: "Delete Doomed?" })).toBeVisible();
  await expect(page.getByText("This agent has no meetings")).toBeVisible();
  await page.getByRole("link", { name: "Keep it" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Doomed");

  await page.getByRole("link", { name: "Delete" }).click();
  await page.getByRole("button", { name: "Delete agent" }).click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByRole("status")).toHaveText("Agent “Doomed” deleted");
  await expect(page.getByRole("heading", { name: "No agents yet" })).toBeVisible();
});

test("searching and paging through agents keeps the search in the links", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  for (let i = 1; i <= 12; i++) {
    await createAgentViaForm(page, {
      name: `Helper ${String(i).padStart(2, "0")}`,
      instructions: "x",
    });
  }
  await createAgentViaForm(page, { name: "Reviewer", instructions: "x" });

  await page.goto("/agents");
  await expect(page.getByText("13 agents · page 1 of 2")).toBeVisible();
  await page.getByRole("searchbox", { name: "Search agents by name" }).fill("helper");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/agents\?q=helper$/);
  await expect(page.getByText("12 agents · page 1 of 2")).toBeVisible();
  const table = page.getByRole("table");
  await expect(table.getByRole("link").first()).toHaveText("Helper 12");

  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/agents\?q=helper&page=2$/);
  await expect(table.getByRole("link")).toHaveText(["Helper 02", "Helper 01"]);
  await page.getByRole("link", { name: "Page 1" }).click();
  await expect(page).toHaveURL(/\/agents\?q=helper$/);

  await page.goto("/agents?q=helper&page=99");
  await expect(page).toHaveURL(/\/agents\?q=helper&page=2$/);
  await page.goto("/agents?q=nobody");
  await expect(page.getByRole("heading", { name: "No matching agents" })).toBeVisible();
  await page.getByRole("link", { name: "Clear the search" }).click();
  await expect(page.getByText("13 agents · page 1 of 2")).toBeVisible();
});

test("a repository picked from the GitHub list is linked and shown as a card", async ({ page }) => {
  const person = await signIn(page);
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill("Repo agent");
  await page.getByLabel("Instructions").fill("Knows the notes");
  await page.getByLabel("Choose one of your repositories").selectOption(`${person.login}/notes`);
  await page.getByRole("button", { name: "Create agent" }).click();

  const card = page.getByRole("region", { name: "GitHub repository" });
  await expect(card.getByRole("link", { name: `${person.login}/notes` })).toBeVisible();
  await expect(card.getByText("Public")).toBeVisible();
  await expect(card.getByText("Default branch: main")).toBeVisible();
});

test("a repository saved without a GitHub connection is shown as text, not as a link", async ({
  page,
}) => {
  // An account without GitHub: the repository cannot be checked, so nothing says it exists.
  await signUpWithPassword(page, newAccount("unverified-repo"));
  await createAgentViaForm(page, {
    name: "Offline",
    instructions: "Knows a repository",
    githubRepo: "octocat/hello-world",
  });
  const card = page.getByRole("region", { name: "GitHub repository" });
  await expect(card).toContainText("octocat/hello-world");
  await expect(card).toContainText("Unverified");
  await expect(card.getByRole("link")).toHaveCount(0);
});

test("a repository GitHub cannot find is a field error and the form is kept", async ({ page }) => {
  const person = await signIn(page);
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill("Lost");
  await page.getByLabel("Instructions").fill("Typed with care");
  await page
    .getByLabel("Repository", { exact: true })
    .fill(`https://github.com/${person.login}/missing.git`);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByLabel("Repository", { exact: true })).toHaveAccessibleDescription(
    /Repository not found, or your GitHub account cannot see it\./,
  );
  // Refused by the server after the browser's checks passed: the summary takes the focus too.
  await expect(page.getByRole("alert")).toBeFocused();
  await expect(page).toHaveTitle("Error: New agent · SMTG Notion");
  await expect(page.getByLabel("Instructions")).toHaveValue("Typed with care");
});

test("a GitHub outage while saving keeps everything typed", async ({ page }) => {
  const person = await signIn(page);
  await setStandInFault({ path: `/api/v3/repos/${person.login}`, status: 503 });
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill("Patient");
  await page.getByLabel("Instructions").fill("Will wait");
  await page.getByLabel("Repository", { exact: true }).fill(`${person.login}/notes`);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("alert")).toContainText(
    "GitHub could not be reached to check this repository",
  );
  await expect(page.getByLabel("Name")).toHaveValue("Patient");
  await expect(page.getByLabel("Repository", { exact: true })).toHaveValue(`${person.login}/notes`);
});

test("an address with a control character in it is a 404 page, not a server error", async ({
  page,
}) => {
  // PostgreSQL cannot compare text holding NUL, so no such id may reach a query.
  await signIn(page, newPerson("control"));
  for (const path of ["/agents/%00", "/agents/a%07b/edit", "/meetings/%00/delete"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("another user's agent is a 404 on every page and action", async ({ page, browser }) => {
  await signIn(page);
  const url = await createAgentViaForm(page, { name: "Alice's agent", instructions: "Secret" });
  const path = new URL(url).pathname;

  const intruder = await browser.newContext();
  try {
    const other = await intruder.newPage();
    await signIn(other, newPerson("intruder"));
    await expectPagesNotFound(other, path);
    const origin = new URL(url).origin;
    const deletion = await other.request.post(`${path}/delete`, {
      headers: { Origin: origin },
      form: {},
    });
    expect(deletion.status()).toBe(404);
    const forms: Array<Record<string, string>> = [
      { name: "Hijacked", instructions: "x", version: new Date().toISOString() },
      { name: "" }, // invalid input must not reveal more than a 404 either
    ];
    for (const form of forms) {
      const edit = await other.request.post(`${path}/edit`, { headers: { Origin: origin }, form });
      expect(edit.status()).toBe(404);
    }
  } finally {
    await intruder.close();
  }
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Alice's agent");
});
