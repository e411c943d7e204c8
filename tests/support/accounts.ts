import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page, type Response } from "@playwright/test";
import { linkFrom, waitForMail, type CaughtMail } from "./mail";

// Steps of the email-and-password account journeys, done through the browser as a person does.

export interface PasswordPerson {
  name: string;
  email: string;
  password: string;
}

/** An email-and-password identity no other test uses (lower case, as the app stores emails). */
export function newAccount(prefix = "account"): PasswordPerson {
  const id = `${prefix}-${randomBytes(4).toString("hex")}`;
  return {
    name: `Test ${id}`,
    email: `${id}@example.test`,
    password: newPassword(),
  };
}

/** A valid password, different every time. */
export function newPassword(): string {
  return `pw-${randomBytes(8).toString("hex")}`;
}

/** Creates the account on /signup and waits until the header shows the person signed in. */
export async function signUpWithPassword(page: Page, person: PasswordPerson = newAccount()) {
  await page.goto("/signup");
  await page.getByLabel("Name", { exact: true }).fill(person.name);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
  return person;
}

/**
 * Fills and sends the password form on /login and returns the answer to its POST: the page
 * itself without JavaScript, the data request with it. Does not wait for what follows.
 */
export async function submitPasswordSignIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  return submitAndRespond(
    page,
    page.getByRole("button", { name: "Sign in", exact: true }),
    "/login",
  );
}

/** Signs in with email and password and waits for the header to show the person. */
export async function signInWithPassword(page: Page, person: PasswordPerson) {
  await submitPasswordSignIn(page, person.email, person.password);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
}

/**
 * Signs in with a wrong email or password and checks the refusal: 401, the message, the email
 * kept, the password field empty.
 */
export async function expectPasswordRefused(page: Page, email: string, password: string) {
  const response = await submitPasswordSignIn(page, email, password);
  expect(response.status()).toBe(401);
  await expect(page.getByRole("alert")).toContainText("Wrong email or password.");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(email);
  // The server never sends a password back, and with JavaScript the typed one is cleared too.
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
}

/**
 * Clicks a form's submit button and returns the answer to the POST it makes to `pathname`
 * (a document without JavaScript, `<pathname>.data` with it).
 */
export async function submitAndRespond(
  page: Page,
  button: Locator,
  pathname: string,
): Promise<Response> {
  const responded = page.waitForResponse((response) => {
    const request = response.request();
    const path = new URL(request.url()).pathname;
    return request.method() === "POST" && (path === pathname || path === `${pathname}.data`);
  });
  await button.click();
  return responded;
}

/** Signs out with the header's button and waits for the header's "Sign in" link. */
export async function signOut(page: Page) {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** The flash message of the current page (the unverified-email banner is a status too). */
export function flash(page: Page, text: string | RegExp): Locator {
  return page.getByRole("status").filter({ hasText: text });
}

/** Waits for the app's mail to `to` with a matching subject (received after `after`). */
export function mailTo(to: string, subject: RegExp, after?: Date): Promise<CaughtMail> {
  return waitForMail(process.env.E2E_MAIL_URL!, to, { subject, after });
}

/**
 * Waits for the newest mail to `to` whose subject matches (received after `after`, if given),
 * opens its link to `pathname` in `page` and returns that link.
 */
export async function openMailLink(
  page: Page,
  to: string,
  subject: RegExp,
  pathname: string,
  after?: Date,
): Promise<string> {
  const mail = await mailTo(to, subject, after);
  const link = linkFrom(mail, pathname);
  await page.goto(link);
  return link;
}
