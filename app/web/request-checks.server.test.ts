import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./request-checks.server";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it("keeps same-site relative paths", () => {
    expect(safeRedirect("/agents?page=2")).toBe("/agents?page=2");
  });

  it.each([
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "agents",
    "/\nLocation: x",
    "/\u3002x",
    "/caf\u00e9",
    null,
    42,
  ])("replaces %j with the fallback", (target) => {
    expect(safeRedirect(target)).toBe("/");
  });
});

describe("the Origin check", () => {
  const appUrl = "https://notion.example.com";
  const post = (headers: Record<string, string>) =>
    new Request("https://notion.example.com/logout", { method: "POST", headers });

  it("lets GET requests through whatever their origin", () => {
    const get = new Request(`${appUrl}/`, { headers: { Origin: "https://evil.example" } });
    expect(isSameOriginRequest(get, appUrl)).toBe(true);
  });

  it("accepts a POST whose Origin is the app's", () => {
    expect(isSameOriginRequest(post({ Origin: appUrl }), appUrl)).toBe(true);
  });

  it("refuses a POST from another origin, even a sibling or another scheme", () => {
    expect(isSameOriginRequest(post({ Origin: "https://evil.example" }), appUrl)).toBe(false);
    expect(isSameOriginRequest(post({ Origin: "http://notion.example.com" }), appUrl)).toBe(false);
    expect(isSameOriginRequest(post({ Origin: "https://x.notion.example.com" }), appUrl)).toBe(
      false,
    );
  });

  it("falls back to the Referer when there is no Origin", () => {
    expect(isSameOriginRequest(post({ Referer: `${appUrl}/agents/new` }), appUrl)).toBe(true);
    expect(isSameOriginRequest(post({ Referer: "https://evil.example/x" }), appUrl)).toBe(false);
  });

  it("refuses a POST with neither Origin nor Referer, or an opaque origin", () => {
    expect(isSameOriginRequest(post({}), appUrl)).toBe(false);
    expect(isSameOriginRequest(post({ Origin: "null" }), appUrl)).toBe(false);
  });
});
