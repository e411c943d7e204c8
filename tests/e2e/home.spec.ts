import { expect, test } from "../support/fixtures";

test("a signed-out visitor sees the landing page with the sign-in button", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("SMTG Notion");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Meetings with your AI agents");
  await expect(page.getByRole("button", { name: "Sign in with GitHub" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Dashboard", "Agents", "Meetings"]);
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

test("answers are never stored but by the browser, .data included; built assets are immutable", async ({
  request,
}) => {
  const page = await request.get("/");
  expect(page.headers()["cache-control"]).toBe("private, no-store");
  expect(page.headers()["vary"]).toMatch(/\bCookie\b/);
  const data = await request.get("/_.data");
  expect(data.status()).toBe(200);
  expect(data.headers()["cache-control"]).toBe("private, no-store");
  expect(data.headers()["x-content-type-options"]).toBe("nosniff");
  expect(data.headers()["content-security-policy"]).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  );
  const asset = /\/assets\/[\w.-]+\.js/.exec(await page.text())?.[0];
  expect(asset).toBeDefined();
  const cached = await request.get(asset!);
  expect(cached.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
});
