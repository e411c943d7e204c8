import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export interface StandInPerson {
  login: string;
  name: string;
  email: string;
}

/** A GitHub stand-in identity no other test uses. */
export function newPerson(prefix = "user"): StandInPerson {
  const login = `${prefix}-${randomBytes(4).toString("hex")}`;
  return { login, name: `Test ${login}`, email: `${login}@example.test` };
}

/**
 * Signs in exactly as a person does: the app's sign-in button, then the stand-in's
 * authorization page, creating the GitHub user there on first use.
 */
export async function signIn(page: Page, person: StandInPerson = newPerson(), path = "/") {
  await page.goto(path === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await authorizeOnStandIn(page, person);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
  return person;
}

export async function authorizeOnStandIn(
  page: Page,
  person: StandInPerson,
  options: { emailVerified?: boolean } = {},
) {
  await expect(page.getByRole("button", { name: "Authorize" })).toBeVisible();
  const existing = page.getByRole("radio", { name: person.login, exact: true });
  if (await existing.count()) {
    await existing.check();
  } else {
    await page.getByLabel("Login", { exact: true }).fill(person.login);
    await page.getByLabel("Name", { exact: true }).fill(person.name);
    await page.getByLabel("Email", { exact: true }).fill(person.email);
    await page.getByLabel("Email verified").setChecked(options.emailVerified ?? true);
  }
  await page.getByRole("button", { name: "Authorize" }).click();
}

/** Each page of a record (view, edit, delete) answers another user with the 404 page. */
export async function expectPagesNotFound(page: Page, path: string) {
  for (const suffix of ["", "/edit", "/delete"]) {
    const response = await page.goto(`${path}${suffix}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
}
