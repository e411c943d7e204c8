import { expect, type Page } from "@playwright/test";

/** Creates an agent through the form, as a person would, and returns its page's URL. */
export async function createAgentViaForm(
  page: Page,
  agent: { name: string; instructions: string; githubRepo?: string },
): Promise<string> {
  await page.goto("/agents/new");
  await page.getByLabel("Name").fill(agent.name);
  await page.getByLabel("Instructions").fill(agent.instructions);
  if (agent.githubRepo) await page.getByLabel("Repository", { exact: true }).fill(agent.githubRepo);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { level: 1, name: agent.name })).toBeVisible();
  return page.url();
}

export async function setStandInFault(fault: { path: string; status?: number; delayMs?: number }) {
  const response = await fetch(`${process.env.E2E_GITHUB_URL}/_stand-in/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(204);
}
