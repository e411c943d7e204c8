import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { getLogger } from "~/log.server";

/**
 * One log line per request, once it is answered or the client has gone: an id (also sent back
 * as X-Request-Id, and on the lines of errors it caused), the method, the path without its
 * query string (OAuth codes travel there), the status and the time taken. A refusal (403, 413,
 * 415, 429) is that line and nothing more.
 */
export function logRequests(req: Request, res: Response, next: NextFunction) {
  const id = randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  const { method, path } = req;
  const started = performance.now();
  res.once("close", () => {
    const line = {
      reqId: id,
      method,
      path,
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    if (res.statusCode >= 500) getLogger().error(line, "request");
    else getLogger().info(line, "request");
  });
  next();
}
