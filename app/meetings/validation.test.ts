import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { editMeetingSchema, isHttpUrl, meetingResultsSchema, newMeetingSchema } from "./validation";

function formData(values: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

const errorsOf = (
  schema: Parameters<typeof parseWithZod>[1]["schema"],
  values: Record<string, string>,
) => {
  const submission = parseWithZod(formData(values), { schema });
  return submission.status === "error" ? submission.error : null;
};

const URL_ERROR = "Enter an absolute URL starting with http:// or https://";

describe("meeting URLs", () => {
  it.each(["https://example.test/t", "http://localhost:8080/rec.mp4", "HTTPS://EXAMPLE.TEST/"])(
    "accepts %s",
    (url) => expect(isHttpUrl(url)).toBe(true),
  );

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.test/file",
    "//example.test/x",
    "/relative/path",
    "example.test",
    "vbscript:msgbox",
    "http://",
  ])("rejects %s", (url) => {
    expect(isHttpUrl(url)).toBe(false);
    expect(errorsOf(meetingResultsSchema, { transcriptUrl: url })).toEqual({
      transcriptUrl: [URL_ERROR],
    });
  });

  it("limits URLs to 2,048 characters and summaries to 20,000", () => {
    const long = `https://example.test/${"a".repeat(2048)}`;
    expect(
      errorsOf(meetingResultsSchema, { recordingUrl: long, summary: "s".repeat(20_001) }),
    ).toEqual({
      recordingUrl: ["URLs can be at most 2,048 characters"],
      summary: ["The summary can be at most 20,000 characters"],
    });
    expect(errorsOf(meetingResultsSchema, { summary: "s".repeat(20_000) })).toBeNull();
  });

  it("treats empty result fields as absent", () => {
    const submission = parseWithZod(formData({ transcriptUrl: "", summary: "" }), {
      schema: meetingResultsSchema,
    });
    expect(submission.status === "success" && submission.value).toEqual({});
  });
});

describe("control characters", () => {
  it("are refused in names, URLs and summaries, while a summary keeps its line breaks", () => {
    const message = "Remove the control characters (such as NUL) from this text";
    expect(errorsOf(newMeetingSchema, { name: "Stand\u0000up", agentId: "a" })).toEqual({
      name: [message],
    });
    expect(
      errorsOf(meetingResultsSchema, {
        transcriptUrl: "https://example.test/\u0000",
        summary: "Done\u0007",
      }),
    ).toEqual({ transcriptUrl: [message], summary: [message] });
    expect(errorsOf(meetingResultsSchema, { summary: "Done.\r\n\tNext: ship" })).toBeNull();
  });
});

describe("meeting names and agents", () => {
  it("requires a trimmed name of 1 to 200 characters and an agent", () => {
    expect(errorsOf(newMeetingSchema, { name: "  " })).toEqual({
      name: ["Name is required"],
      agentId: ["Choose an agent"],
    });
    expect(errorsOf(newMeetingSchema, { name: "n".repeat(201), agentId: "a" })).toEqual({
      name: ["Name must be at most 200 characters"],
    });
    expect(errorsOf(editMeetingSchema, { name: "n".repeat(200) })).toBeNull();
  });
});
