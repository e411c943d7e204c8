import type { MiddlewareFunction } from "react-router";
import { getConfig } from "~/config.server";

// What every answer of React Router carries (pages, `.data`, redirects, resource routes),
// whatever route made it. Pages also get a Content-Security-Policy with their script nonce,
// set where they are rendered (entry.server.tsx).

/** For answers that are not pages: nothing in them may load or run anything. */
const NOT_A_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Until then, a 503's cause (the database, a queue of password checks) has likely passed. */
export const RETRY_AFTER_503_SECONDS = 10;

function setHeaders(headers: Headers, status: number) {
  // Every page depends on who is signed in (the header shows them): no shared cache may keep
  // one, and the browser keeps none either.
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-store");
  headers.append("Vary", "Cookie");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  if (getConfig().appUrl.startsWith("https://")) {
    headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  if (!headers.get("Content-Type")?.startsWith("text/html")) {
    headers.set("Content-Security-Policy", NOT_A_PAGE_POLICY);
  }
  // A refused body is not read any further: the connection closes after the answer.
  if (status === 413) headers.set("Connection", "close");
  if (status === 503 && !headers.has("Retry-After")) {
    headers.set("Retry-After", String(RETRY_AFTER_503_SECONDS));
  }
}

export const responseHeadersMiddleware: MiddlewareFunction<Response> = async (_args, next) => {
  const response = await next();
  try {
    setHeaders(response.headers, response.status);
    return response;
  } catch {
    // Responses from fetch() or Response.redirect() have immutable headers.
    const copy = new Response(response.body, response);
    setHeaders(copy.headers, copy.status);
    return copy;
  }
};
