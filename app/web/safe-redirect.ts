/**
 * Only same-site relative paths are honoured as redirect targets, and only as the app writes
 * them: printable ASCII (anything else is percent-encoded in a real URL, and a Location header
 * cannot carry it).
 */
export function safeRedirect(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) {
    return fallback;
  }
  if (target.includes("\\") || !/^[\x21-\x7e]*$/.test(target)) return fallback;
  return target;
}
