import { describe, expect, it } from "vitest";
import { listUrl, readListParams, readSort } from "./list-params";

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

describe("list sort orders", () => {
  const url = (query: string) => new URL(`http://localhost/meetings${query}`);
  const keys = ["name", "created", "status"] as const;
  const newest = { key: "created", direction: "desc" } as const;

  it.each([
    ["", newest],
    ["?sort=name", { key: "name", direction: "asc" }],
    ["?sort=-name", { key: "name", direction: "desc" }],
    ["?sort=status", { key: "status", direction: "asc" }],
    ["?sort=created", { key: "created", direction: "asc" }],
    ["?sort=agentId", newest],
    ["?sort=--name", newest],
    ["?sort=", newest],
  ])("reads %s as a known order, or the default", (query, expected) => {
    expect(readSort(url(query), keys, newest)).toEqual(expected);
  });

  it("writes the sort into the URL unless it is the default", () => {
    const sorted = { sort: { key: "name", direction: "asc" }, defaultSort: newest } as const;
    expect(listUrl(url("?status=active"), { page: 1, q: "", sort: sorted })).toBe(
      "/meetings?status=active&sort=name",
    );
    const byDefault = { sort: newest, defaultSort: newest };
    expect(listUrl(url("?sort=-created&page=2"), { page: 2, q: "", sort: byDefault })).toBe(
      "/meetings?page=2",
    );
  });
});
