import { RouterContextProvider } from "react-router";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { userContext } from "~/auth/guards.server";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { user } from "~/db/schema";
import { getMeeting } from "~/meetings/queries.server";
import {
  action as transcriptAction,
  loader as transcriptLoader,
} from "~/routes/meetings/transcript";
import { loader as exportLoader } from "~/routes/meetings/transcript-export";
import {
  action as importAction,
  loader as importLoader,
} from "~/routes/meetings/transcript-import";
import { exportFormats } from "~/transcripts/export-formats";
import { importTranscript } from "~/transcripts/import.server";
import { parseTranscript } from "~/transcripts/parse";
import { listSegments, listSpeakers } from "~/transcripts/queries.server";
import { createTestDatabase } from "../support/database";
import { startFileServer } from "../support/file-server";
import { meetingWithStatus, vttOf } from "../support/transcripts";

// The transcript routes as the browser meets them: loaders and actions called with a request
// (multipart bodies built by fetch's own FormData), on a real database.

const appUrl = "http://localhost:3995";
const maxBytes = 64 * 1024;
let database: DatabaseHandle;
let db: DatabaseHandle["db"];

beforeAll(async () => {
  Object.assign(process.env, { APP_URL: appUrl, TRANSCRIPT_MAX_BYTES: String(maxBytes) });
  database = await createTestDatabase();
  setDatabaseHandle(database);
  db = database.db;
});
afterAll(() => database.close());
beforeEach(async () => {
  await db.delete(user);
  await db.insert(user).values([
    { id: "alice", name: "Alice", email: "alice@example.test" },
    { id: "bob", name: "Bob", email: "bob@example.test" },
  ]);
});

interface Reply {
  status: number;
  data: unknown;
  headers: Headers;
  body: string | null;
}

/** Calls a loader or action as React Router does, signed in as `userId`. */
async function call(
  handler: (args: never) => unknown,
  path: string,
  params: Record<string, string>,
  { userId = "alice", body }: { userId?: string; body?: FormData | Request } = {},
): Promise<Reply> {
  const url = new URL(path, appUrl);
  const request =
    body instanceof Request ? body : new Request(url, body ? { method: "POST", body } : {});
  const context = new RouterContextProvider();
  context.set(userContext, {
    id: userId,
    name: userId,
    email: `${userId}@example.test`,
    emailVerified: true,
    image: null,
  });
  try {
    const value = await handler({ request, context, url, params, unstable_pattern: "" } as never);
    if (value instanceof Response) {
      return { status: value.status, data: null, headers: value.headers, body: await value.text() };
    }
    const wrapped = value as { type?: string; data: unknown; init: ResponseInit | null };
    if (wrapped?.type === "DataWithResponseInit") {
      return {
        status: wrapped.init?.status ?? 200,
        data: wrapped.data,
        headers: new Headers(),
        body: null,
      };
    }
    return { status: 200, data: value, headers: new Headers(), body: null };
  } catch (thrown) {
    if (thrown instanceof Response) {
      return { status: thrown.status, data: null, headers: thrown.headers, body: null };
    }
    throw thrown;
  }
}

/** The field errors of a conform reply. */
function errorsOf(reply: Reply): Record<string, string[] | null> {
  return ((reply.data as { result: { error?: Record<string, string[] | null> } }).result.error ??
    {}) as Record<string, string[] | null>;
}

const fileForm = (bytes: Uint8Array<ArrayBuffer> | string, name = "call.vtt") => {
  const form = new FormData();
  form.set("file", new File([bytes], name, { type: "text/vtt" }));
  form.set("url", "");
  return form;
};

describe("every transcript route answers 404 for another user's meeting", () => {
  it("the reader, its rename action, the import page and action, and each export", async () => {
    const bobs = await meetingWithStatus(db, "bob", "completed");
    await importTranscript(db, "bob", bobs.id, {
      file: { name: "b.vtt", bytes: vttOf([["spk_1", "Secret."]]) },
    });
    const params = { meetingId: bobs.id };
    const base = `/meetings/${bobs.id}/transcript`;
    const rename = new FormData();
    rename.set("label", "spk_1");
    rename.set("name", "Mallory");
    const replies = [
      await call(transcriptLoader, base, params),
      await call(transcriptAction, base, params, { body: rename }),
      await call(importLoader, `${base}/import`, params),
      await call(importAction, `${base}/import`, params, {
        body: fileForm(vttOf([["x", "Mine now."]])),
      }),
      ...(await Promise.all(
        exportFormats.map((format) =>
          call(exportLoader, `${base}/export/${format}`, { ...params, format }),
        ),
      )),
    ];
    expect(replies.map((r) => r.status)).toEqual(Array(4 + exportFormats.length).fill(404));
    expect(await listSegments(db, "bob", bobs.id)).toMatchObject([{ text: "Secret." }]);
    expect(await listSpeakers(db, "bob", bobs.id)).toEqual([{ label: "spk_1", name: null }]);
  });

  it("an export of a meeting without a transcript, or in an unknown format, is not found either", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed");
    const path = `/meetings/${meeting.id}/transcript/export`;
    expect(
      (await call(exportLoader, `${path}/vtt`, { meetingId: meeting.id, format: "vtt" })).status,
    ).toBe(404);
    await importTranscript(db, "alice", meeting.id, {
      file: { name: "a.vtt", bytes: vttOf([["a", "x"]]) },
    });
    expect(
      (await call(exportLoader, `${path}/pdf`, { meetingId: meeting.id, format: "pdf" })).status,
    ).toBe(404);
  });
});

describe("uploading a transcript", () => {
  it("imports a file and sends the browser to the reader with a message", async () => {
    const meeting = await meetingWithStatus(db, "alice", "active");
    const reply = await call(
      importAction,
      "/import",
      { meetingId: meeting.id },
      {
        body: fileForm(
          vttOf([
            ["spk_1", "Hello."],
            ["spk_2", "Hi."],
          ]),
        ),
      },
    );
    expect(reply.status).toBe(302);
    expect(reply.headers.get("Location")).toBe(`/meetings/${meeting.id}/transcript`);
    expect(reply.headers.get("Set-Cookie")).toMatch(/^smtg_flash=/);
    expect(await listSegments(db, "alice", meeting.id)).toHaveLength(2);
  });

  it("answers a bad file with 400 and the problem beside the file field, the meeting unchanged", async () => {
    const meeting = await meetingWithStatus(db, "alice", "processing");
    const before = await getMeeting(db, "alice", meeting.id);
    const reply = await call(
      importAction,
      "/import",
      { meetingId: meeting.id },
      {
        body: fileForm("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nbroken arrow\n", "bad.vtt"),
      },
    );
    expect(reply.status).toBe(400);
    expect(errorsOf(reply)).toEqual({
      file: ["bad.vtt: Line 4: Cue identifier needs to be followed by timestamp."],
    });
    expect(await getMeeting(db, "alice", meeting.id)).toEqual(before);
    expect(await listSegments(db, "alice", meeting.id)).toEqual([]);
  });

  it("asks for a file or a URL, and keeps what was typed", async () => {
    const meeting = await meetingWithStatus(db, "alice", "processing");
    const none = new FormData();
    none.set("url", "");
    const reply = await call(importAction, "/import", { meetingId: meeting.id }, { body: none });
    expect(reply.status).toBe(400);
    expect(errorsOf(reply)).toEqual({ file: ["Choose a transcript file, or enter its URL below"] });

    const bad = new FormData();
    bad.set("url", "javascript:alert(1)");
    const badReply = await call(importAction, "/import", { meetingId: meeting.id }, { body: bad });
    expect(errorsOf(badReply)).toEqual({ url: ["Enter an absolute URL starting with https://"] });
    expect((badReply.data as { result: { initialValue: unknown } }).result.initialValue).toEqual({
      url: "javascript:alert(1)",
    });
  });

  it("stops keeping a file over TRANSCRIPT_MAX_BYTES, reads the rest of the body away, and answers 413", async () => {
    const meeting = await meetingWithStatus(db, "alice", "active");
    const boundary = "----transcript-boundary";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.vtt"\r\nContent-Type: text/vtt\r\n\r\nWEBVTT\n\n`,
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    const chunk = new TextEncoder().encode("00:00:01.000 --> 00:00:02.000\nwords\n\n".repeat(256));
    const chunks = Math.ceil((maxBytes * 8) / chunk.length);
    let sent = 0;
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = i === 0 ? head : i <= chunks ? chunk : i === chunks + 1 ? tail : null;
        i++;
        if (next) {
          sent += next.length;
          controller.enqueue(next);
        } else controller.close();
      },
    });
    const request = new Request(new URL("/import", appUrl), {
      method: "POST",
      body,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      duplex: "half",
    } as RequestInit);
    const reply = await call(importAction, "/import", { meetingId: meeting.id }, { body: request });
    expect(reply.status).toBe(413);
    expect(errorsOf(reply)).toEqual({
      file: ["huge.vtt is larger than 64 KB, the largest transcript we take."],
    });
    expect(sent).toBeGreaterThan(maxBytes * 8);
    expect(await listSegments(db, "alice", meeting.id)).toEqual([]);
  });

  it("imports from a URL given in the form", async () => {
    const server = await startFileServer({
      "/t.srt": (_, res) => res.end("1\n00:00:01,000 --> 00:00:02,000\nAda: From the web.\n"),
    });
    try {
      const meeting = await meetingWithStatus(db, "alice", "completed");
      const form = new FormData();
      form.set("url", `${server.url}/t.srt`);
      const reply = await call(importAction, "/import", { meetingId: meeting.id }, { body: form });
      expect(reply.status).toBe(302);
      expect(await listSegments(db, "alice", meeting.id)).toMatchObject([
        { speaker: "Ada", text: "From the web." },
      ]);
    } finally {
      await server.close();
    }
  });
});

describe("renaming speakers", () => {
  it("renames a speaker (post/redirect/get), refuses a long name beside the field and an unknown label", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed");
    await importTranscript(db, "alice", meeting.id, {
      file: { name: "a.vtt", bytes: vttOf([["spk_1", "Hello."]]) },
    });
    const path = `/meetings/${meeting.id}/transcript?q=hello`;
    const form = (label: string, name: string) => {
      const data = new FormData();
      data.set("label", label);
      data.set("name", name);
      return data;
    };
    const renamed = await call(
      transcriptAction,
      path,
      { meetingId: meeting.id },
      { body: form("spk_1", " Ada ") },
    );
    expect(renamed.status).toBe(302);
    expect(renamed.headers.get("Location")).toBe(path);
    expect(await listSpeakers(db, "alice", meeting.id)).toEqual([{ label: "spk_1", name: "Ada" }]);

    const long = await call(
      transcriptAction,
      path,
      { meetingId: meeting.id },
      { body: form("spk_1", "x".repeat(101)) },
    );
    expect(long.status).toBe(400);
    expect(errorsOf(long)).toEqual({ name: ["A name can be at most 100 characters"] });
    const unknown = await call(
      transcriptAction,
      path,
      { meetingId: meeting.id },
      { body: form("spk_7", "Eve") },
    );
    expect(unknown.status).toBe(400);
    expect(errorsOf(unknown)).toEqual({ label: ["Choose one of this transcript's speakers"] });
    expect(await listSpeakers(db, "alice", meeting.id)).toEqual([{ label: "spk_1", name: "Ada" }]);
  });
});

describe("exports", () => {
  it("downloads each format as an attachment named after the meeting, with display names", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed", "Roadmap: Q3 / Q4 review");
    await importTranscript(db, "alice", meeting.id, {
      file: {
        name: "a.vtt",
        bytes: vttOf([
          ["spk_1", "Ship it & see."],
          [null, "Applause."],
        ]),
      },
    });
    await (
      await import("~/transcripts/queries.server")
    ).renameSpeaker(db, "alice", meeting.id, "spk_1", "Ada");
    const params = (format: string) => ({ meetingId: meeting.id, format });
    const bodies: Record<string, string> = {};
    for (const format of exportFormats) {
      const reply = await call(exportLoader, `/x/${format}`, params(format));
      expect(reply.status, format).toBe(200);
      expect(reply.headers.get("Content-Disposition"), format).toBe(
        `attachment; filename="Roadmap Q3 Q4 review.${format}"`,
      );
      bodies[format] = reply.body!;
    }
    expect(bodies.txt).toBe("[00:00] Ada: Ship it & see.\n[00:02] Applause.\n");
    expect(bodies.srt).toBe(
      "1\n00:00:00,000 --> 00:00:01,500\nAda: Ship it & see.\n\n2\n00:00:02,000 --> 00:00:03,500\nApplause.\n",
    );
    expect(JSON.parse(bodies.json!)).toEqual({
      meeting: { id: meeting.id, name: "Roadmap: Q3 / Q4 review" },
      segments: [
        {
          position: 0,
          speaker: "Ada",
          speaker_label: "spk_1",
          start_ms: 0,
          end_ms: 1500,
          text: "Ship it & see.",
        },
        {
          position: 1,
          speaker: null,
          speaker_label: null,
          start_ms: 2000,
          end_ms: 3500,
          text: "Applause.",
        },
      ],
    });
    expect(bodies.md).toMatch(
      /^# Roadmap: Q3 \/ Q4 review\n\n- Agent: Scribe\n- Date: .+\n- Duration: under 1 min\n\n## Summary\n\nNo summary yet\.\n\n## Transcript\n\n\*\*Ada\*\* \[00:00\]: Ship it & see\.\n\n\[00:02\] Applause\.\n$/,
    );
    // The WebVTT download reads back as the same segments.
    expect(parseTranscript(new TextEncoder().encode(bodies.vtt)).segments).toEqual([
      { speaker: "Ada", startMs: 0, endMs: 1500, text: "Ship it & see." },
      { speaker: null, startMs: 2000, endMs: 3500, text: "Applause." },
    ]);
  });
});
