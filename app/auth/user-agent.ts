import Bowser from "bowser";

/** "Chrome 156 on Linux", from a User-Agent header, for the list of a user's sessions. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const { browser, os } = Bowser.parse(userAgent);
  const major = browser.version?.split(".")[0];
  const name = browser.name ? [browser.name, major].filter(Boolean).join(" ") : "Unknown browser";
  const system = os.name ? [os.name, os.versionName].filter(Boolean).join(" ") : null;
  return system ? `${name} on ${system}` : name;
}
