import { parseWithZod } from "@conform-to/zod/v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainText } from "~/db/plain-text";
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

  it("accepts exactly the documented inputs and reports field errors otherwise, never throwing", () => {
    const text = (max: number) =>
      fc.oneof(
        fc.string(),
        fc.string({ minLength: max - 3, maxLength: max + 3 }),
        fc.constantFrom("", "   ", "\t\n", "a\u0000b"),
      );
    const repository = fc.oneof(
      fc.string(),
      fc.constantFrom("", "octocat/hello", "https://github.com/o/r.git", "a--b/c", "o/.."),
      fc
        .tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,41}$/), fc.stringMatching(/^[\w.-]{1,102}$/))
        .map(([owner, name]) => `${owner}/${name}`),
    );
    fc.assert(
      fc.property(
        fc.record({ name: text(100), instructions: text(10_000), githubRepo: repository }),
        (values) => {
          const name = values.name.trim();
          const instructions = values.instructions.trim();
          const repo = values.githubRepo.trim();
          const expected = {
            name: name.length >= 1 && name.length <= 100 && isPlainText(name),
            instructions:
              instructions.length >= 1 &&
              instructions.length <= 10_000 &&
              isPlainText(instructions),
            githubRepo: repo === "" || normalizeGithubRepo(repo) !== null,
          };
          const submission = parse(values);
          if (submission.status === "success") {
            expect(Object.values(expected).every(Boolean)).toBe(true);
            expect(submission.value).toEqual({
              name,
              instructions,
              githubRepo: repo ? normalizeGithubRepo(repo) : null,
            });
          } else {
            const invalid = Object.entries(expected)
              .filter(([, ok]) => !ok)
              .map(([field]) => field)
              .sort();
            expect(Object.keys(submission.error ?? {}).sort()).toEqual(invalid);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("control characters", () => {
  it("are refused in the name and the instructions, while tabs and line breaks are kept", () => {
    const message = "Remove the control characters (such as NUL) from this text";
    expect(errorsOf({ name: "Scri\u0000be", instructions: "Take\u001b notes" })).toEqual({
      name: [message],
      instructions: [message],
    });
    expect(parse({ name: "Scribe", instructions: "Take\tnotes\nand more" }).status).toBe("success");
  });
});

describe("line breaks", () => {
  it("counts a submitted CRLF line break as one character, and stores LF", () => {
    const instructions = `${"a".repeat(4999)}\r\n${"b".repeat(5000)}`;
    const submission = parse({ name: "A", instructions });
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value.instructions).toBe(
      `${"a".repeat(4999)}\n${"b".repeat(5000)}`,
    );
  });
});
