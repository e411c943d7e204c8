import { describe, expect, it } from "vitest";
import { listUrl, readListParams } from "./list-params";

describe("list query strings", () => {
  const url = (query: string) => new URL(`http://localhost/agents${query}`);

  it.each([
    ["", { page: 1, q: "" }],
    ["?page=3&q=%20bot%20", { page: 3, q: "bot" }],
    ["?page=0", { page: 1, q: "" }],
    ["?page=-2", { page: 1, q: "" }],
    ["?page=abc", { page: 1, q: "" }],
    [`?q=${"x".repeat(150)}`, { page: 1, q: "x".repeat(100) }],
    ["?q=bo%00t", { page: 1, q: "bot" }],
  ])("reads %s sensibly", (query, expected) => {
    expect(readListParams(url(query))).toEqual(expected);
  });

  it("writes the canonical URL, leaving out page 1 and an empty search", () => {
    expect(listUrl(url("?status=active&page=2&q="), { page: 1, q: "" })).toBe(
      "/agents?status=active",
    );
    expect(listUrl(url(""), { page: 2, q: "a b" })).toBe("/agents?q=a+b&page=2");
  });
});
