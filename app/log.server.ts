import pino, { type Logger } from "pino";
import { getConfig } from "~/config.server";

let logger: Logger | undefined;

/**
 * The server's log: one JSON object per line on stdout, for whatever collects it. Never give
 * it a query string, a cookie or a form: they carry OAuth codes, tokens and passwords. Silent
 * under test, where behaviour is judged rather than logs.
 */
export function getLogger(): Logger {
  logger ??= pino({
    level: getConfig().env === "test" ? "silent" : "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return logger;
}
