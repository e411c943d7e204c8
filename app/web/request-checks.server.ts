import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { MiddlewareFunction } from "react-router";
import { getConfig } from "~/config.server";
import { notFound } from "~/web/not-found";
import { isPlainText } from "~/db/plain-text";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request must come from our own pages: its Origin (or, when a browser sends
 * none, its Referer) has to be the app's public origin.
 */
export function isSameOriginRequest(request: Request, appUrl: string): boolean {
  if (safeMethods.has(request.method.toUpperCase())) return true;
  const expected = new URL(appUrl).origin;
  const origin = request.headers.get("Origin");
  if (origin && origin !== "null") return origin === expected;
  const referer = request.headers.get("Referer");
  if (!referer) return false;
  try {
    return new URL(referer).origin === expected;
  } catch {
    return false;
  }
}

export const originCheckMiddleware: MiddlewareFunction<Response> = ({ request }, next) => {
  if (!isSameOriginRequest(request, getConfig().appUrl)) {
    throw new Response("This form was sent from another site, so it was refused.", {
      status: 403,
      statusText: "Forbidden",
    });
  }
  return next();
};

const formTypes = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * Every action reads a form, as our pages send it (with or without JavaScript); any other body
 * is answered 415 here rather than failing inside the action.
 */
export const formBodyMiddleware: MiddlewareFunction<Response> = ({ request }, next) => {
  if (safeMethods.has(request.method.toUpperCase())) return next();
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!formTypes.includes(type)) {
    throw new Response("Send this request as a form.", {
      status: 415,
      statusText: "Unsupported Media Type",
    });
  }
  return next();
};

/**
 * No page has an address with control characters in it (ids never hold them, and PostgreSQL
 * cannot compare text with NUL), so such an address is not found, before any query sees it.
 */
export const plainParamsMiddleware: MiddlewareFunction<Response> = ({ params }, next) => {
  if (Object.values(params).some((value) => value !== undefined && !isPlainText(value))) {
    throw notFound();
  }
  return next();
};

/** The methods the app's pages use. */
const servedMethods = new Set(["GET", "HEAD", "POST"]);

/**
 * Express, before React Router: a method no page answers (TRACE, which fetch's Request cannot
 * even hold, PUT…) is 405, and a request without a Host header (HTTP/1.0 may omit it) is 400,
 * rather than a 500 where React Router builds its Request.
 */
export function refuseUnservableRequests(
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
) {
  if (!servedMethods.has(req.method)) {
    res
      .set("Allow", [...servedMethods].join(", "))
      .status(405)
      .end();
  } else if (!req.headers.host) {
    res.status(400).end();
  } else {
    next();
  }
}
