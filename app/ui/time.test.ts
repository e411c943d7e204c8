import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative } from "./time";

describe("durations", () => {
  it.each([
    [0, "under 1 min"],
    [59_000, "under 1 min"],
    [60_000, "1 min"],
    [59 * 60_000, "59 min"],
    [65 * 60_000, "1 h 05 min"],
    [(3 * 60 + 40) * 60_000 + 59_000, "3 h 40 min"],
  ])("%i ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("relative times", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  it.each([
    [10, "just now"],
    [180, "3 minutes ago"],
    [2 * 3600, "2 hours ago"],
    [86400 + 3600, "yesterday"],
    [40 * 86400, "on 16 Oct 2026"],
  ])("%i seconds ago reads %s", (seconds, text) => {
    expect(formatRelative(ago(seconds), now)).toBe(text);
  });

  it("speaks of the future too", () => {
    expect(formatRelative(new Date(now.getTime() + 5 * 60_000), now)).toBe("in 5 minutes");
  });
});
