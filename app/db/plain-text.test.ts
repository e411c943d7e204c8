import { describe, expect, it } from "vitest";
import { isPlainText, toPlainText } from "./plain-text";

describe("plain text", () => {
  it("allows tabs, line breaks and any printable character", () => {
    expect(isPlainText("Ada\tLovelace\r\nnotes: ✓ «ok» 日本")).toBe(true);
  });

  it.each(["a\u0000b", "\u0007", "\u001b[31m", "a\u007fb", "\u0085", "\u000b"])(
    "refuses the control character in %j",
    (value) => expect(isPlainText(value)).toBe(false),
  );

  it("removes control characters from search terms, keeping the rest", () => {
    expect(toPlainText("bo\u0000t\u0007s\tand\nmore")).toBe("bots\tand\nmore");
  });
});
