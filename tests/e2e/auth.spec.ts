import { expect, test } from "../support/fixtures";
import { authorizeOnStandIn, newPerson, signIn } from "../support/sign-in";

test("a signed-out visitor is sent to /login and lands on the page they asked for", async ({
  page,
}) => {
  await page.goto("/agents?q=report");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fagents%3Fq%3Dreport$/);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  const person = newPerson();
  await authorizeOnStandIn(page, person);
  await expect(page).toHaveURL(/\/agents\?q=report$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fagents$/);
});

test("a signed-in user visiting /login goes to the dashboard", async ({ page }) => {
  const person = await signIn(page);
  await page.goto("/login");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: `Welcome, ${person.name}` })).toBeVisible();
});

test("two GitHub users get separate accounts", async ({ browser }) => {
  const alice = newPerson("alice");
  const bob = newPerson("bob");
  const aliceContext = await browser.newContext();
  const bobContext = await browser.newContext();
  try {
    const alicePage = await aliceContext.newPage();
    const bobPage = await bobContext.newPage();
    await signIn(alicePage, alice);
    await signIn(bobPage, bob);
    await alicePage.reload();
    await expect(alicePage.getByTestId("signed-in-user")).toHaveText(alice.name);
    await expect(bobPage.getByTestId("signed-in-user")).toHaveText(bob.name);
  } finally {
    await aliceContext.close();
    await bobContext.close();
  }
});

test("signing in again as the same GitHub user reaches the same account", async ({ page }) => {
  const person = await signIn(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await signIn(page, person);
  await expect(page.getByRole("heading", { name: `Welcome, ${person.name}` })).toBeVisible();
});

test("denying access on GitHub brings the user back with an explanation", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/login\?error=denied$/);
  await expect(page.getByRole("alert")).toContainText("You cancelled the sign-in on GitHub");
  await expect(page.getByRole("button", { name: "Sign in with GitHub" })).toBeVisible();
});

test("a callback without the state cookie is refused with an explanation", async ({ page }) => {
  await page.goto("/auth/github/callback?code=forged&state=forged");
  await expect(page).toHaveURL(/\/login\?error=state$/);
  await expect(page.getByRole("alert")).toContainText("We could not verify that sign-in");
});

test("a GitHub user without a verified email is refused with how to fix it", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await authorizeOnStandIn(page, newPerson("unverified"), { emailVerified: false });
  await expect(page).toHaveURL(/\/login\?error=no_verified_email$/);
  await expect(page.getByRole("alert")).toContainText("no verified email address");
});

test("a POST from another origin is refused with 403 and changes nothing", async ({ page }) => {
  await signIn(page);
  const response = await page.request.post("/logout", {
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  await page.reload();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});
