import { createContext, createCookie } from "react-router";
import type { MiddlewareFunction } from "react-router";
import { getConfig } from "~/config.server";
import type { Flash } from "~/ui/flash-message";
import { setsCookie, withSetCookie } from "~/web/cookies.server";

// The flash message travels in a cookie from the redirect to the next page, so that it works
// without JavaScript.

const flashCookieName = "smtg_flash";

function flashCookie() {
  const config = getConfig();
  return createCookie(flashCookieName, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60,
    secure: config.secureCookies,
    secrets: [config.sessionSecret],
  });
}

export const flashContext = createContext<Flash | null>(null);

/** Headers for a redirect that shows `message` on the next page. */
export async function flashHeaders(message: string, kind: Flash["kind"] = "success") {
  return { "Set-Cookie": await flashCookie().serialize({ kind, message } satisfies Flash) };
}

/** Reads the flash for this request and clears it once a page (not a redirect) was served. */
export const flashMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const value: unknown = await flashCookie().parse(request.headers.get("Cookie"));
  const flash = isFlash(value) ? value : null;
  context.set(flashContext, flash);
  const response = await next();
  const redirecting = response.status >= 300 && response.status < 400;
  if (!flash || redirecting || setsCookie(response, flashCookieName)) return response;
  return withSetCookie(response, await flashCookie().serialize("", { maxAge: 0 }));
};

function isFlash(value: unknown): value is Flash {
  return (
    typeof value === "object" &&
    value !== null &&
    ((value as Flash).kind === "success" || (value as Flash).kind === "error") &&
    typeof (value as Flash).message === "string"
  );
}
