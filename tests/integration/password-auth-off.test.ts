import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userContext } from "~/auth/guards.server";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { action as forgotPassword } from "~/routes/auth/forgot-password";
import { action as login, loader as loginPage } from "~/routes/auth/login";
import { loader as resetPasswordPage } from "~/routes/auth/reset-password";
import { action as signUp, loader as signUpPage } from "~/routes/auth/signup";
import { createTestDatabase } from "../support/database";

// PASSWORD_AUTH=off: the pages of email and password accounts are gone, and posting to them
// does nothing but answer 404.

const appUrl = "http://localhost:3998";

let database: DatabaseHandle;
beforeAll(async () => {
  Object.assign(process.env, { PASSWORD_AUTH: "off", APP_URL: appUrl, GITHUB_SANDBOX: "off" });
  database = await createTestDatabase();
  setDatabaseHandle(database);
});
afterAll(() => database.close());

function args(path: string, form?: Record<string, string>) {
  const url = new URL(path, appUrl);
  const request = new Request(url, form ? { method: "POST", body: new URLSearchParams(form) } : {});
  const context = new RouterContextProvider();
  context.set(userContext, null);
  return { request, context, url, params: {}, unstable_pattern: "" } as never;
}

async function statusOf(call: () => unknown): Promise<number> {
  try {
    await call();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
  return 200;
}

describe("with PASSWORD_AUTH=off", () => {
  it("answers 404 for sign-up, forgot-password and reset-password, page and form alike", async () => {
    expect(await statusOf(() => signUpPage(args("/signup")))).toBe(404);
    const person = { name: "Ann", email: "ann@example.test", password: "long enough 1" };
    expect(await statusOf(() => signUp(args("/signup", person)))).toBe(404);
    expect(
      await statusOf(() => forgotPassword(args("/forgot-password", { email: person.email }))),
    ).toBe(404);
    expect(await statusOf(() => resetPasswordPage(args("/reset-password?token=x")))).toBe(404);
  });

  it("refuses a password sign-in and leaves it off the login page", async () => {
    const form = { intent: "password", email: "ann@example.test", password: "long enough 1" };
    expect(await statusOf(() => login(args("/login", form)))).toBe(404);
    expect(loginPage(args("/login"))).toMatchObject({ passwordAuth: false });
  });
});
