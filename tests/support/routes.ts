import { RouterContextProvider } from "react-router";
import { sessionIdContext, userContext } from "~/auth/guards.server";
import type { SessionUser } from "~/auth/session.server";
import { clientIpContext } from "~/web/request-context.server";

export interface Reply {
  status: number;
  data: unknown;
  headers: Headers;
  /** Where a redirect leads. */
  location: string | null;
}

/**
 * Calls a route's loader (no form) or action (a form) the way React Router does, for `user`
 * (signed out without one), and tells what the browser would get: `data(…, { status })`, a
 * plain value (200), or a thrown response (redirects, 404s).
 */
export async function callRoute(
  handler: (args: never) => unknown,
  path: string,
  {
    params = {},
    user = null,
    form,
    appUrl = "http://localhost:3000",
  }: {
    params?: Record<string, string>;
    user?: SessionUser | null;
    form?: Record<string, string | string[]>;
    appUrl?: string;
  } = {},
): Promise<Reply> {
  const url = new URL(path, appUrl);
  let init: RequestInit = {};
  if (form) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    init = { method: "POST", body };
  }
  const context = new RouterContextProvider();
  context.set(userContext, user);
  context.set(sessionIdContext, user ? "test-session" : null);
  context.set(clientIpContext, "203.0.113.1");
  try {
    const value = await handler({
      request: new Request(url, init),
      context,
      url,
      params,
      unstable_pattern: "",
    } as never);
    if (isDataWithStatus(value)) {
      return {
        status: value.init?.status ?? 200,
        data: value.data,
        headers: new Headers(),
        location: null,
      };
    }
    if (value instanceof Response) return answer(value);
    return { status: 200, data: value, headers: new Headers(), location: null };
  } catch (thrown) {
    if (thrown instanceof Response) return answer(thrown);
    throw thrown;
  }
}

function answer(response: Response): Reply {
  return {
    status: response.status,
    data: null,
    headers: response.headers,
    location: response.headers.get("Location"),
  };
}

function isDataWithStatus(value: unknown): value is { data: unknown; init: ResponseInit | null } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "DataWithResponseInit"
  );
}

/** What requireUser reads for a user made in the database. */
export function sessionUser(user: { id: string; email: string }): SessionUser {
  return { id: user.id, name: "Test User", email: user.email, emailVerified: true, image: null };
}
