import { createContext, redirect } from "react-router";
import type { MiddlewareFunction, RouterContextProvider } from "react-router";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/client.server";
import { setsCookie, withSetCookie } from "~/web/cookies.server";
import { notFound } from "~/web/not-found";
import { clientInfo } from "~/web/request-context.server";
import { safeRedirect } from "~/web/safe-redirect";
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  readSessionToken,
  serializeClearedSessionCookie,
  serializeSessionCookie,
  sessionCookieName,
  type SessionUser,
} from "./session.server";
import { deleteExpiredVerifications } from "./verification.server";

/** The signed-in user of this request (null when signed out), set by `sessionMiddleware`. */
export const userContext = createContext<SessionUser | null>(null);
/** The id of this request's session (null when signed out), set by `sessionMiddleware`. */
export const sessionIdContext = createContext<string | null>(null);

/**
 * Resolves the session cookie once per request. Slides the cookie forward when the session
 * was renewed, and clears it when the session is gone, unless the route set it itself.
 */
export const sessionMiddleware: MiddlewareFunction<Response> = async (
  { request, context },
  next,
) => {
  const token = await readSessionToken(request);
  const found = token ? await findSessionUser(getDb(), token) : null;
  context.set(userContext, found?.user ?? null);
  context.set(sessionIdContext, found?.sessionId ?? null);

  const response = await next();
  if (!token || setsCookie(response, sessionCookieName)) return response;
  if (!found) return withSetCookie(response, await serializeClearedSessionCookie());
  if (found.renewedUntil) {
    return withSetCookie(response, await serializeSessionCookie(token, found.renewedUntil));
  }
  return response;
};

interface GuardArgs {
  context: Readonly<RouterContextProvider>;
  url: URL;
}

export function getOptionalUser({ context }: Pick<GuardArgs, "context">): SessionUser | null {
  return context.get(userContext);
}

/** The signed-in user; anyone else is sent to /login and brought back here afterwards. */
export function requireUser({ context, url }: GuardArgs): SessionUser {
  const user = context.get(userContext);
  if (user) return user;
  const params = new URLSearchParams({
    redirectTo: `${url.pathname}${url.search}`,
  });
  throw redirect(`/login?${params}`);
}

/** For pages only signed-out visitors need, such as /login. */
export function requireAnonymous({ context, url }: GuardArgs): void {
  if (context.get(userContext)) {
    throw redirect(safeRedirect(url.searchParams.get("redirectTo")));
  }
}

/** Pages of email and password accounts answer 404 when PASSWORD_AUTH=off. */
export function requirePasswordAuth(): void {
  if (!getConfig().passwordAuth) throw notFound();
}

/**
 * Signs this browser in as `userId`: a new session (replacing the one it had) and the
 * Set-Cookie header that carries it.
 */
export async function startSession(
  request: Request,
  context: Readonly<RouterContextProvider>,
  userId: string,
): Promise<Headers> {
  const db = getDb();
  const previous = await readSessionToken(request);
  if (previous) await deleteSession(db, previous);
  await deleteExpiredSessions(db);
  await deleteExpiredVerifications(db);
  const { token, expiresAt } = await createSession(db, userId, clientInfo(request, context));
  return new Headers({ "Set-Cookie": await serializeSessionCookie(token, expiresAt) });
}
