import { parseWithZod } from "@conform-to/zod/v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentSchema, GITHUB_REPO_FORMAT_ERROR, normalizeGithubRepo } from "./validation";

function formData(values: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

const parse = (values: Record<string, string>) =>
  parseWithZod(formData(values), { schema: agentSchema });

const errorsOf = (values: Record<string, string>) => {
  const submission = parse(values);
  return submission.status === "error" ? submission.error : null;
};

describe("normalizeGithubRepo", () => {
  it.each([
    ["octocat/hello-world", "octocat/hello-world"],
    ["  octocat/Hello.World_2  ", "octocat/Hello.World_2"],
    ["https://github.com/octocat/hello-world", "octocat/hello-world"],
    ["https://github.com/octocat/hello-world.git", "octocat/hello-world"],
    ["https://github.com/octocat/hello-world/", "octocat/hello-world"],
    ["http://www.github.com/octocat/hello-world", "octocat/hello-world"],
    ["a/b", "a/b"],
    [`${"a".repeat(39)}/${"b".repeat(100)}`, `${"a".repeat(39)}/${"b".repeat(100)}`],
    ["my-org/.github", "my-org/.github"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeGithubRepo(input)).toBe(expected);
  });

  it.each([
    "octocat",
    "octocat/",
    "/hello",
    "-octocat/repo",
    "octocat-/repo",
    "octo--cat/repo",
    `${"a".repeat(40)}/repo`,
    `octocat/${"b".repeat(101)}`,
    "octocat/.",
    "octocat/..",
    "octocat/hello world",
    "octocat/repo/extra",
    "https://gitlab.com/octocat/repo",
    "https://github.com/octocat",
    "javascript:alert(1)",
  ])("rejects %j", (input) => {
    expect(normalizeGithubRepo(input)).toBeNull();
  });
});

describe("the agent form schema", () => {
  it("trims and accepts a valid agent, without a repository", () => {
    const submission = parse({ name: "  Scribe ", instructions: " Take notes.\n" });
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual({
      name: "Scribe",
      instructions: "Take notes.",
      githubRepo: null,
    });
  });

  it("requires a name and instructions, also when they are only spaces", () => {
    expect(errorsOf({ name: "   ", instructions: "" })).toEqual({
      name: ["Name is required"],
      instructions: ["Instructions is required"],
    });
  });

  it("limits the name to 100 and instructions to 10,000 characters", () => {
    expect(parse({ name: "n".repeat(100), instructions: "i".repeat(10_000) }).status).toBe(
      "success",
    );
    expect(errorsOf({ name: "n".repeat(101), instructions: "i".repeat(10_001) })).toEqual({
      name: ["Name must be at most 100 characters"],
      instructions: ["Instructions must be at most 10,000 characters"],
    });
  });

  it("normalises a pasted GitHub URL and prefers a repository picked from the list", () => {
    const typed = parse({ name: "A", instructions: "B", githubRepo: "https://github.com/o/r.git" });
    expect(typed.status === "success" && typed.value.githubRepo).toBe("o/r");
    const picked = parse({ name: "A", instructions: "B", githubRepo: "", githubRepoChoice: "o/p" });
    expect(picked.status === "success" && picked.value.githubRepo).toBe("o/p");
  });

  it("puts a malformed repository error on the githubRepo field", () => {
    expect(errorsOf({ name: "A", instructions: "B", githubRepo: "not a repo" })).toEqual({
      githubRepo: [GITHUB_REPO_FORMAT_ERROR],
    });
  });

  it("either accepts any input or reports field errors, and never throws", () => {
    fc.assert(
      fc.property(
        fc.record({ name: fc.string(), instructions: fc.string(), githubRepo: fc.string() }),
        (values) => {
          const submission = parse(values);
          if (submission.status === "success") {
            const { name, instructions, githubRepo } = submission.value;
            expect(name).toBe(values.name.trim());
            expect(name.length).toBeGreaterThanOrEqual(1);
            expect(name.length).toBeLessThanOrEqual(100);
            expect(instructions).toBe(values.instructions.trim());
            expect(githubRepo === null || normalizeGithubRepo(githubRepo) === githubRepo).toBe(
              true,
            );
          } else {
            const fields = Object.keys(submission.error ?? {});
            expect(fields.length).toBeGreaterThan(0);
            for (const field of fields) {
              expect(["name", "instructions", "githubRepo"]).toContain(field);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
