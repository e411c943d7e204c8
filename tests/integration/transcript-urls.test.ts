import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { user } from "~/db/schema";
import { getMeeting } from "~/meetings/queries.server";
import { fetchTranscript, type FetchPolicy } from "~/transcripts/fetch.server";
import { importTranscript } from "~/transcripts/import.server";
import { listSegments } from "~/transcripts/queries.server";
import { TranscriptError } from "~/transcripts/segments";
import { createTestDatabase } from "../support/database";
import { startFileServer } from "../support/file-server";
import { meetingWithStatus } from "../support/transcripts";

// Transcripts fetched from URLs, over real HTTP from a server on this machine. The app's
// APP_URL is a loopback address here (a developer's machine), which allows http:// and
// loopback addresses; the refusals are shown with the policy of a deployed app.

const maxBytes = 4096;
const jsonl = '{"speaker_id":"ada","text":"Fetched words.","start_ts":0,"stop_ts":900}\n';

let database: DatabaseHandle;
let server: Awaited<ReturnType<typeof startFileServer>>;
beforeAll(async () => {
  Object.assign(process.env, {
    APP_URL: "http://localhost:3996",
    TRANSCRIPT_MAX_BYTES: String(maxBytes),
    FETCH_PRIVATE_ADDRESSES: "off",
  });
  database = await createTestDatabase();
  setDatabaseHandle(database);
  server = await startFileServer({
    "/call.jsonl": (_, res) => res.end(jsonl),
    "/hop": (req, res) => {
      const left = Number(new URL(req.url!, "http://x").searchParams.get("left"));
      res.writeHead(302, { Location: left > 0 ? `/hop?left=${left - 1}` : "/call.jsonl" }).end();
    },
    "/to-ftp": (_, res) => res.writeHead(301, { Location: "ftp://127.0.0.1/call.jsonl" }).end(),
    "/stalls": (_, res) => res.writeHead(200).write("WEBVTT\n"),
    "/endless": (_, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      const chunk = "Ada: words words words\n".repeat(100);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on("drain", pump);
      res.on("close", () => res.off("drain", pump));
      pump();
    },
    "/declared-big": (_, res) => {
      res.writeHead(200, { "Content-Length": String(maxBytes + 1) }).end("x".repeat(maxBytes + 1));
    },
    "/page.html": (_, res) => res.end("<!doctype html><html><body>Sign in</body></html>"),
  });
});
afterAll(async () => {
  await server.close();
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(user);
  await database.db.insert(user).values({ id: "alice", name: "Alice", email: "a@example.test" });
});

async function problemOf(url: string, policy: Partial<FetchPolicy> = {}): Promise<string> {
  try {
    await fetchTranscript(url, { maxBytes, allowPrivate: true, allowHttp: true, ...policy });
  } catch (error) {
    if (error instanceof TranscriptError) return `${error.status} ${error.message}`;
    throw error;
  }
  return "fetched";
}

describe("importing from a URL", () => {
  it("fetches and imports the transcript, keeping the URL as the meeting's transcript URL", async () => {
    const meeting = await meetingWithStatus(database.db, "alice", "processing");
    const url = `${server.url}/call.jsonl`;
    expect(await importTranscript(database.db, "alice", meeting.id, { url })).toEqual({
      status: "imported",
      format: "jsonl",
      segmentCount: 1,
    });
    expect(await listSegments(database.db, "alice", meeting.id)).toMatchObject([
      { label: "ada", startMs: 0, endMs: 900, text: "Fetched words." },
    ]);
    expect((await getMeeting(database.db, "alice", meeting.id))!.transcriptUrl).toBe(url);
  });

  it("leaves the meeting unchanged when the URL gives no transcript", async () => {
    const meeting = await meetingWithStatus(database.db, "alice", "completed");
    const before = await getMeeting(database.db, "alice", meeting.id);
    expect(
      await importTranscript(database.db, "alice", meeting.id, { url: `${server.url}/missing` }),
    ).toEqual({
      status: "invalid",
      message: "The server answered 404 (Not Found) instead of the transcript.",
      httpStatus: 400,
    });
    expect(
      await importTranscript(database.db, "alice", meeting.id, { url: `${server.url}/page.html` }),
    ).toMatchObject({ status: "invalid", message: expect.stringMatching(/^This is a web page/) });
    expect(await getMeeting(database.db, "alice", meeting.id)).toEqual(before);
    expect(await listSegments(database.db, "alice", meeting.id)).toEqual([]);
  });
});

describe("fetching a transcript", () => {
  it("follows up to three redirects, and no more", async () => {
    expect(await problemOf(`${server.url}/hop?left=2`)).toBe("fetched");
    expect(await problemOf(`${server.url}/hop?left=3`)).toBe(
      "400 The URL redirected more than 3 times.",
    );
  });

  it("checks every redirect like the first URL", async () => {
    expect(await problemOf(`${server.url}/to-ftp`)).toBe("400 Use an http:// or https:// URL.");
  });

  it("gives up on a server that stops sending", async () => {
    expect(await problemOf(`${server.url}/stalls`, { timeoutMs: 300 })).toBe(
      "400 The server did not send the transcript within 0.3 seconds.",
    );
  });

  it("stops reading at the size limit, whether or not the server says the length", async () => {
    const tooLarge = "413 The transcript at this URL is larger than 4 KB, the largest we take.";
    expect(await problemOf(`${server.url}/endless`)).toBe(tooLarge);
    expect(await problemOf(`${server.url}/declared-big`)).toBe(tooLarge);
  });

  it("says when a host is not found or not reachable", async () => {
    expect(await problemOf("http://transcripts.invalid/x.vtt")).toBe(
      "400 The host transcripts.invalid was not found.",
    );
    const closed = await startFileServer({});
    await closed.close();
    expect(await problemOf(`${closed.url}/x.vtt`)).toBe(
      `400 The server at 127.0.0.1:${closed.port} could not be reached.`,
    );
  });
});

describe("a deployed app (APP_URL not loopback, FETCH_PRIVATE_ADDRESSES off)", () => {
  const deployed = { allowPrivate: false, allowHttp: false };

  it("fetches only https:// URLs", async () => {
    expect(await problemOf(`${server.url}/call.jsonl`, deployed)).toBe("400 Use an https:// URL.");
  });

  it("refuses a name that resolves to a loopback address, before connecting to it", async () => {
    const before = server.connections();
    const refused = await problemOf(`https://localhost:${server.port}/call.jsonl`, deployed);
    expect(refused).toMatch(
      /^400 This URL leads to a loopback address \((127\.0\.0\.1|::1)\), which the server does not fetch from\.$/,
    );
    const plain = await problemOf(`http://localhost:${server.port}/call.jsonl`, {
      ...deployed,
      allowHttp: true,
    });
    expect(plain).toMatch(/^400 This URL leads to a loopback address/);
    expect(server.connections()).toBe(before);
  });

  it("refuses loopback addresses written as addresses, IPv4, IPv6 and IPv4-mapped", async () => {
    const before = server.connections();
    for (const host of ["127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"]) {
      expect(
        await problemOf(`http://${host}:${server.port}/call.jsonl`, {
          ...deployed,
          allowHttp: true,
        }),
        host,
      ).toMatch(/^400 This URL leads to a loopback address \(/);
    }
    expect(server.connections()).toBe(before);
  });

  it("fetches from this machine with FETCH_PRIVATE_ADDRESSES=on", async () => {
    expect(
      await problemOf(`http://localhost:${server.port}/call.jsonl`, {
        allowPrivate: true,
        allowHttp: true,
      }),
    ).toBe("fetched");
  });
});
