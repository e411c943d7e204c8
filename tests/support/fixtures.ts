import { randomBytes } from "node:crypto";
import { test as base } from "@playwright/test";

export { expect } from "@playwright/test";

/**
 * Playwright's `test`, with the browser of each test coming from an address of its own
 * (`clientAddress`). The app limits sign-ups and mail requests per IP address and trusts a
 * loopback proxy's X-Forwarded-For, so tests, and repeated runs, do not share those limits.
 * Contexts a test makes itself with `browser.newContext()` share the test's address.
 */
export const test = base.extend<{ clientAddress: string }>({
  // Playwright reads a fixture's dependencies from its first parameter, so it must be a pattern.
  // eslint-disable-next-line no-empty-pattern
  clientAddress: async ({}, provide) => {
    await provide(`10.${[...randomBytes(3)].join(".")}`);
  },
  extraHTTPHeaders: async ({ extraHTTPHeaders, clientAddress }, provide) => {
    await provide({ ...extraHTTPHeaders, "X-Forwarded-For": clientAddress });
  },
});
