import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub, RouterContextProvider } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserIdByEmail } from "~/auth/credentials.server";
import { sessionIdContext, userContext } from "~/auth/guards.server";
import { clientIpContext } from "~/web/request-context.server";
import { reserveAttempt } from "~/auth/rate-limit.server";
import {
  EMAIL_VERIFICATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  issueToken,
} from "~/auth/verification.server";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { user } from "~/db/schema";
import { listDevMails } from "~/mail/mailer.server";
import { action as forgotPassword } from "~/routes/auth/forgot-password";
import { action as login } from "~/routes/auth/login";
import { action as resetPassword, loader as resetPasswordPage } from "~/routes/auth/reset-password";
import { action as signUp } from "~/routes/auth/signup";
import VerifyEmail, {
  action as verifyEmail,
  loader as verifyEmailPage,
} from "~/routes/auth/verify-email";
import { flashContext, flashMiddleware } from "~/web/flash.server";
import { type Flash } from "~/ui/flash-message";
import { createTestDatabase } from "../support/database";
import { createUser, newEmail } from "../support/users";

// The account routes as the browser meets them: their loaders and actions called with a
// request, on a real database, and judged by status, redirect, flash message and reply.

// A loopback address, so that mails land in the dev mailbox where the tests read them.
const appUrl = "http://localhost:3996";

let database: DatabaseHandle;
beforeAll(async () => {
  Object.assign(process.env, { PASSWORD_AUTH: "on", APP_URL: appUrl, GITHUB_SANDBOX: "off" });
  database = await createTestDatabase();
  setDatabaseHandle(database);
});
afterAll(() => database.close());

let ipCounter = 0;
/** A client address no other test uses, so each test starts under every per-IP limit. */
const newIp = () => `203.0.113.${++ipCounter}`;

interface Reply {
  status: number;
  data: unknown;
  headers: Headers;
}

/**
 * Calls a loader (no form) or an action (a form) the way React Router does, signed out, and
 * tells what the browser would get: `data(…, { status })`, a plain value (200), or a thrown
 * redirect.
 */
async function call(
  handler: (args: never) => unknown,
  path: string,
  { form, ip = newIp() }: { form?: Record<string, string>; ip?: string } = {},
): Promise<Reply> {
  const url = new URL(path, appUrl);
  const request = new Request(url, form ? { method: "POST", body: new URLSearchParams(form) } : {});
  const context = new RouterContextProvider();
  context.set(userContext, null);
  context.set(sessionIdContext, null);
  context.set(clientIpContext, ip);
  try {
    const value = await handler({
      request,
      context,
      url,
      params: {},
      unstable_pattern: "",
    } as never);
    if (isDataWithStatus(value)) {
      return { status: value.init?.status ?? 200, data: value.data, headers: new Headers() };
    }
    return { status: 200, data: value, headers: new Headers() };
  } catch (thrown) {
    if (thrown instanceof Response) {
      return { status: thrown.status, data: null, headers: thrown.headers };
    }
    throw thrown;
  }
}

function isDataWithStatus(value: unknown): value is { data: unknown; init: ResponseInit | null } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "DataWithResponseInit"
  );
}

/** The flash message the next page would show, read by the app's own flash middleware. */
async function flashOf(reply: Reply): Promise<Flash | null> {
  const cookie = reply.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  const context = new RouterContextProvider();
  const url = new URL("/", appUrl);
  const request = new Request(url, { headers: { Cookie: cookie } });
  await flashMiddleware(
    { request, context, url, params: {}, unstable_pattern: "" } as never,
    async () => new Response("the next page"),
  );
  return context.get(flashContext);
}

const signIn = (email: string, password: string, ip: string) =>
  call(login, "/login", { form: { intent: "password", email, password }, ip });

/** The newest mail to `address` in the dev mailbox, once it has arrived (mails go out after the answer). */
async function mailTo(address: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const mail = listDevMails().find((sent) => sent.to === address);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`No mail to ${address} within 5 seconds`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The page's HTML for a loader answer, rendered by the route's own component. */
function renderVerifyEmailPage(path: string, loaderData: unknown): string {
  const Stub = createRoutesStub([
    {
      id: "verify-email",
      path: "/verify-email",
      Component: VerifyEmail as never,
      loader: () => loaderData,
    },
  ]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [path],
      hydrationData: { loaderData: { "verify-email": loaderData } },
    }),
  );
}

describe("signing in with a password", () => {
  it("refuses the 11th failed sign-in of one email within 15 minutes with 429 and a form error, keeping the email but not the password", async () => {
    const ann = await createUser(database.db, { password: "the right password" });
    const ip = newIp();
    for (let attempt = 1; attempt <= 10; attempt++) {
      const refused = await signIn(ann.email, "a wrong guess", ip);
      expect(refused.status, `attempt ${attempt}`).toBe(401);
    }

    const limited = await signIn(ann.email, "a wrong guess", ip);
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({
      result: {
        error: { "": ["Too many attempts. Try again in 15 minutes."] },
        initialValue: { email: ann.email },
      },
    });
    expect(JSON.stringify(limited.data)).not.toContain("a wrong guess");
    // The limit is on trying: while it lasts, even the right password is not checked.
    expect((await signIn(ann.email, "the right password", newIp())).status).toBe(429);
  });

  it("forgets an email's failed sign-ins once it signs in successfully", async () => {
    const bo = await createUser(database.db, { password: "the right password" });
    const ip = newIp();
    for (let attempt = 1; attempt <= 9; attempt++) {
      expect((await signIn(bo.email, "a wrong guess", ip)).status, `attempt ${attempt}`).toBe(401);
    }
    const signedIn = await signIn(bo.email, "the right password", ip);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/");

    // Still counting the nine, the second of these would be the 11th failure and get 429.
    expect((await signIn(bo.email, "a wrong guess", ip)).status).toBe(401);
    expect((await signIn(bo.email, "a wrong guess", ip)).status).toBe(401);
  });
});

describe("signing up", () => {
  it("refuses the 11th sign-up from one IP address within an hour with 429 and creates no user", async () => {
    const ip = newIp();
    // Nine sign-ups counted as the form counts them, then a real tenth: the limit's edge.
    for (let signUpCount = 1; signUpCount <= 9; signUpCount++) {
      const counted = await reserveAttempt(database.db, [{ limit: "signUpIp", key: ip }]);
      expect(counted.allowed, `sign-up ${signUpCount}`).toBe(true);
    }
    const tenth = newEmail("tenth");
    const welcomed = await call(signUp, "/signup", {
      form: { name: "Tenth", email: tenth, password: "a good password" },
      ip,
    });
    expect(welcomed.status).toBe(302);
    expect(await findUserIdByEmail(database.db, tenth)).not.toBeNull();
    await mailTo(tenth);

    const eleventh = newEmail("eleventh");
    const refused = await call(signUp, "/signup", {
      form: { name: "Eleventh", email: eleventh, password: "a good password" },
      ip,
    });
    expect(refused.status).toBe(429);
    expect(refused.data).toMatchObject({
      result: {
        error: { "": ["Too many attempts. Try again in 60 minutes."] },
        initialValue: { name: "Eleventh", email: eleventh },
      },
    });
    expect(JSON.stringify(refused.data)).not.toContain("a good password");
    expect(await findUserIdByEmail(database.db, eleventh)).toBeNull();
  });
});

describe("forgot password", () => {
  it("answers the same for an address with an account and one without: status, Location and flash message", async () => {
    const owner = await createUser(database.db, { password: "the right password" });
    const stranger = newEmail("nobody");
    const ip = newIp();
    const forStranger = await call(forgotPassword, "/forgot-password", {
      form: { email: stranger },
      ip,
    });
    const forOwner = await call(forgotPassword, "/forgot-password", {
      form: { email: owner.email },
      ip,
    });

    expect(forOwner.status).toBe(302);
    expect(forStranger.status).toBe(forOwner.status);
    expect(forOwner.headers.get("Location")).toBe("/forgot-password");
    expect(forStranger.headers.get("Location")).toBe(forOwner.headers.get("Location"));
    expect([...forStranger.headers.keys()]).toEqual([...forOwner.headers.keys()]);
    const cookieAttributes = (reply: Reply) => reply.headers.get("Set-Cookie")?.split(";").slice(1);
    expect(cookieAttributes(forStranger)).toEqual(cookieAttributes(forOwner));

    const promise = (email: string) =>
      `If ${email} has an account, we sent it a link to choose a new password. The link works for one hour.`;
    expect(await flashOf(forOwner)).toEqual({ kind: "success", message: promise(owner.email) });
    expect(await flashOf(forStranger)).toEqual({ kind: "success", message: promise(stranger) });

    // Only the mailbox knows the difference.
    expect((await mailTo(owner.email)).subject).toMatch(/password/i);
    expect(listDevMails().filter((mail) => mail.to === stranger)).toEqual([]);
  });
});

/** The token of an address-verification link (issued now, or at `issuedAt`), as mailed. */
const verificationLink = (email: string, issuedAt?: Date) =>
  issueToken(database.db, { kind: "verify-email", email }, EMAIL_VERIFICATION_TTL_MS, issuedAt);

describe("verification links", () => {
  it("does not use a link up when it is opened: it still verifies after the GET", async () => {
    const cy = await createUser(database.db, { emailVerified: false });
    const token = await verificationLink(cy.email);
    const path = `/verify-email?${new URLSearchParams({ token })}`;
    // Opened twice, as a mail client's link scanner and then the person would.
    for (const opening of ["scanner", "person"]) {
      const page = await call(verifyEmailPage, path);
      expect(page.status, opening).toBe(200);
      expect(page.data, opening).toMatchObject({ valid: true, token, email: cy.email });
    }

    const confirmed = await call(verifyEmail, "/verify-email", { form: { token } });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/login");
    expect(await flashOf(confirmed)).toEqual({
      kind: "success",
      message: `Thank you: ${cy.email} is verified.`,
    });
    const [row] = await database.db.select().from(user).where(eq(user.id, cy.id));
    expect(row?.emailVerified).toBe(true);
  });

  it("answers a used link's GET with 400 and the page that offers a new link", async () => {
    const di = await createUser(database.db, { emailVerified: false });
    const token = await verificationLink(di.email);
    expect((await call(verifyEmail, "/verify-email", { form: { token } })).status).toBe(302);

    const path = `/verify-email?${new URLSearchParams({ token })}`;
    const page = await call(verifyEmailPage, path);
    expect(page.status).toBe(400);
    expect(page.data).toEqual({ valid: false, viewer: null });
    const html = renderVerifyEmailPage(path, page.data);
    expect(html).toContain("This link does not work");
    expect(html).toMatch(/<input type="hidden" name="intent" value="resend"\/>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Send a new link<\/button>/);
  });

  it("mails a working link from an expired link's page", async () => {
    const ed = await createUser(database.db, { emailVerified: false });
    const longAgo = new Date(Date.now() - EMAIL_VERIFICATION_TTL_MS - 60_000);
    const expired = await verificationLink(ed.email, longAgo);
    const expiredPage = await call(
      verifyEmailPage,
      `/verify-email?${new URLSearchParams({ token: expired })}`,
    );
    expect(expiredPage.status).toBe(400);
    expect(expiredPage.data).toMatchObject({ valid: false });

    const resent = await call(verifyEmail, "/verify-email", {
      form: { intent: "resend", email: ed.email },
    });
    expect(resent.status).toBe(302);
    expect(await flashOf(resent)).toEqual({
      kind: "success",
      message: `If ${ed.email} has an account waiting for verification, we sent it a new link.`,
    });
    const link = new URL(
      /http:\/\/\S+\/verify-email\?token=[\w-]+/.exec((await mailTo(ed.email)).text)![0],
    );
    const freshPage = await call(verifyEmailPage, `${link.pathname}${link.search}`);
    expect(freshPage.status).toBe(200);
    expect(freshPage.data).toMatchObject({ valid: true, email: ed.email });
  });
});

describe("password reset links", () => {
  it("answers an invalid, used or superseded reset link's GET with 400", async () => {
    const fay = await createUser(database.db, { password: "the right password" });
    const reset = { kind: "password-reset", userId: fay.id } as const;
    const superseded = await issueToken(database.db, reset, PASSWORD_RESET_TTL_MS);
    const newest = await issueToken(database.db, reset, PASSWORD_RESET_TTL_MS);
    const pageFor = (token: string) =>
      call(resetPasswordPage, `/reset-password?${new URLSearchParams({ token })}`);

    const valid = await pageFor(newest);
    expect(valid.status).toBe(200);
    expect(valid.data).toEqual({ valid: true, token: newest, email: fay.email });
    for (const [kind, token] of [
      ["altered", `${newest.slice(0, -1)}x`],
      ["superseded", superseded],
      ["missing", ""],
    ] as const) {
      const page = await pageFor(token);
      expect(page.status, kind).toBe(400);
      expect(page.data, kind).toEqual({ valid: false });
    }
  });

  it("clears the email's failed sign-ins when its password is reset, so the owner can sign in at once", async () => {
    const gil = await createUser(database.db, { password: "the old password" });
    const ip = newIp();
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await signIn(gil.email, "a wrong guess", ip)).status, `attempt ${attempt}`).toBe(401);
    }
    expect((await signIn(gil.email, "the old password", newIp())).status).toBe(429);

    const token = await issueToken(
      database.db,
      { kind: "password-reset", userId: gil.id },
      PASSWORD_RESET_TTL_MS,
    );
    const newPassword = "a brand new password";
    const reset = await call(resetPassword, "/reset-password", {
      form: { token, password: newPassword, confirmPassword: newPassword },
    });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("Location")).toBe("/");

    // Counted from zero again: a wrong guess is just wrong, and the new password signs in.
    expect((await signIn(gil.email, "a wrong guess", newIp())).status).toBe(401);
    const signedIn = await signIn(gil.email, newPassword, newIp());
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/");
  });
});
