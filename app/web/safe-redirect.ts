/** Only same-site relative paths are honoured as redirect targets. */
export function safeRedirect(target: unknown, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) {
    return fallback;
  }
  if (target.includes("\\") || /\p{Cc}/u.test(target)) return fallback;
  return target;
}
