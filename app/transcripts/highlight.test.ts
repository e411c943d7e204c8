import { describe, expect, it } from "vitest";
import { splitMatches } from "./highlight";

describe("search highlights", () => {
  it("splits marked text into plain parts and matches", () => {
    expect(splitMatches("We \u0002deployed\u0003 the \u0002plan\u0003")).toEqual([
      { text: "We ", match: false },
      { text: "deployed", match: true },
      { text: " the ", match: false },
      { text: "plan", match: true },
    ]);
  });

  it("keeps text without marks whole, and drops a stray marker", () => {
    expect(splitMatches("<b>not html</b>")).toEqual([{ text: "<b>not html</b>", match: false }]);
    expect(splitMatches("a\u0003b")).toEqual([{ text: "ab", match: false }]);
    expect(splitMatches("a\u0002b")).toEqual([
      { text: "a", match: false },
      { text: "b", match: false },
    ]);
  });
});
