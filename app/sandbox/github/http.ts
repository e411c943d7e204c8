// Small HTTP helpers on top of node:http, shared by the stand-in's handlers.
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 64 * 1024;

export type Params = Record<string, string>;

export interface Ctx {
  req: IncomingMessage & { baseUrl?: string; body?: unknown };
  res: ServerResponse;
  method: string;
  /** Path relative to the base (the mount prefix is already gone). */
  path: string;
  query: URLSearchParams;
  /** Absolute URL of the stand-in's root as the caller sees it, no trailing slash. */
  base: string;
  /** Same, as an origin-relative path (the mount prefix), for links in our own pages. */
  prefix: string;
}

export class BodyTooLarge extends Error {}

export function context(req: IncomingMessage & { baseUrl?: string }, res: ServerResponse): Ctx {
  const url = new URL(req.url ?? "/", "http://stand-in.invalid");
  const forwarded = String(req.headers["x-forwarded-proto"] ?? "")
    .split(",")[0]
    ?.trim();
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  const proto =
    forwarded === "https" || forwarded === "http" ? forwarded : encrypted ? "https" : "http";
  const host = req.headers.host ?? "localhost";
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(host)) throw new Error("Bad Host header");
  const prefix = (req.baseUrl ?? "").replace(/\/+$/, "");
  return {
    req,
    res,
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    base: `${proto}://${host}${prefix}`,
    prefix,
  };
}

/** The raw body, or null when something upstream (e.g. an Express body parser) already read it. */
export function readBody(ctx: Ctx): Promise<string | null> {
  const { req } = ctx;
  if (req.readableEnded) return Promise.resolve(null);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("Request aborted"));
    });
  });
}

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

export function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = Number.parseInt(value ?? "", 10);
  if (!Number.isFinite(n) || n < min) return fallback;
  return Math.min(n, max);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function redirect(
  res: ServerResponse,
  target: string,
  params: Record<string, string | undefined>,
): void {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  res.statusCode = 302;
  res.setHeader("Location", url.toString());
  res.setHeader("Cache-Control", "no-store");
  res.end();
}

export function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader("Content-Type", type);
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  text = JSON.stringify(body),
): void {
  send(res, status, "application/json; charset=utf-8", text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
  );
  send(res, status, "text/html; charset=utf-8", html);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, "text/plain; charset=utf-8", text);
}

export function sendNoContent(res: ServerResponse): void {
  res.statusCode = 204;
  res.end();
}
