import { expect, test } from "../support/fixtures";

test("a signed-out visitor sees the landing page with the sign-in button", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("SMTG Notion");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Meetings with your AI agents");
  await expect(page.getByRole("button", { name: "Sign in with GitHub" })).toBeVisible();
  // Signed out, the app's sections would only send a visitor to sign in: the header offers that.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Sign in", "Create account"]);
});

test("every page has a title and a description, the 404 page too", async ({ page }) => {
  await page.goto("/login");
  await expect(page).toHaveTitle("Sign in · SMTG Notion");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /\S/);
  await page.goto("/no/such/page");
  await expect(page).toHaveTitle("Page not found · SMTG Notion");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute(
    "content",
    /There is nothing at this address/,
  );
});

test("an unknown address shows the 404 page inside the layout", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the dashboard" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("/healthz reports the database as healthy", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toMatchObject({ status: "ok", database: { ok: true } });
});

test("pages carry security headers and a script nonce", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
});
