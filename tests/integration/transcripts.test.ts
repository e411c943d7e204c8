import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDatabaseHandle, type DatabaseHandle } from "~/db/client.server";
import { meetings, transcriptSegments, transcripts, user } from "~/db/schema";
import { getMeeting, listMeetings } from "~/meetings/queries.server";
import { importTranscript } from "~/transcripts/import.server";
import {
  getTranscript,
  listSegments,
  listSpeakers,
  readTranscriptPage,
  renameSpeaker,
  SEGMENTS_PER_PAGE,
} from "~/transcripts/queries.server";
import { searchSnippets } from "~/transcripts/search.server";
import { createTestDatabase } from "../support/database";
import { meetingWithStatus, vttOf } from "../support/transcripts";

// Importing, replacing, reading and searching transcripts on a real database.

const appUrl = "http://localhost:3997";
let database: DatabaseHandle;
let db: DatabaseHandle["db"];

beforeAll(async () => {
  Object.assign(process.env, { APP_URL: appUrl, TRANSCRIPT_MAX_BYTES: String(2 * 1024 * 1024) });
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
    { id: "carol", name: "Carol", email: "carol@example.test" },
  ]);
});

const file = (bytes: Uint8Array, name = "standup.vtt") => ({ file: { name, bytes } });
const text = (value: string) => new TextEncoder().encode(value);

async function segmentsOf(meetingId: string) {
  return (await listSegments(db, "alice", meetingId)).map((s) => [s.label, s.text]);
}

describe("importing a transcript", () => {
  it("stores a file's segments, its speakers and the app's own WebVTT URL as the transcript URL", async () => {
    const meeting = await meetingWithStatus(db, "alice", "processing");
    const before = (await getMeeting(db, "alice", meeting.id))!.updatedAt;
    const result = await importTranscript(
      db,
      "alice",
      meeting.id,
      file(
        vttOf([
          ["spk_1", "Hello there."],
          ["spk_2", "Hi!"],
          [null, "[laughter]"],
        ]),
      ),
    );
    expect(result).toEqual({ status: "imported", format: "vtt", segmentCount: 3 });
    expect(await listSegments(db, "alice", meeting.id)).toEqual([
      {
        position: 0,
        label: "spk_1",
        speaker: "spk_1",
        startMs: 0,
        endMs: 1500,
        text: "Hello there.",
      },
      { position: 1, label: "spk_2", speaker: "spk_2", startMs: 2000, endMs: 3500, text: "Hi!" },
      { position: 2, label: null, speaker: null, startMs: 4000, endMs: 5500, text: "[laughter]" },
    ]);
    expect(await listSpeakers(db, "alice", meeting.id)).toEqual([
      { label: "spk_1", name: null },
      { label: "spk_2", name: null },
    ]);
    expect(await getTranscript(db, "alice", meeting.id)).toMatchObject({
      format: "vtt",
      source: "standup.vtt",
      segmentCount: 3,
    });
    const after = (await getMeeting(db, "alice", meeting.id))!;
    expect(after.transcriptUrl).toBe(`${appUrl}/meetings/${meeting.id}/transcript/export/vtt`);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it("replaces the segments of an earlier transcript, keeping the names of speakers still in it", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed");
    await importTranscript(
      db,
      "alice",
      meeting.id,
      file(
        vttOf([
          ["spk_1", "Old one."],
          ["spk_2", "Old two."],
        ]),
      ),
    );
    expect(await renameSpeaker(db, "alice", meeting.id, "spk_1", "Ada")).toBe(true);
    expect(await renameSpeaker(db, "alice", meeting.id, "spk_2", "Grace")).toBe(true);

    await importTranscript(
      db,
      "alice",
      meeting.id,
      file(
        vttOf([
          ["spk_1", "New one."],
          ["spk_3", "New three."],
          ["spk_1", "New four."],
        ]),
      ),
    );
    expect(await segmentsOf(meeting.id)).toEqual([
      ["spk_1", "New one."],
      ["spk_3", "New three."],
      ["spk_1", "New four."],
    ]);
    expect(await listSpeakers(db, "alice", meeting.id)).toEqual([
      { label: "spk_1", name: "Ada" },
      { label: "spk_3", name: null },
    ]);
    expect((await listSegments(db, "alice", meeting.id))[0]!.speaker).toBe("Ada");
    expect(await db.select().from(transcripts)).toHaveLength(1);
  });

  it("replaces in one transaction: a transcript that fails inside it leaves the old one whole", async () => {
    const meeting = await meetingWithStatus(db, "alice", "processing");
    await importTranscript(db, "alice", meeting.id, file(vttOf([["spk_1", "Keep me."]])));
    const before = await getMeeting(db, "alice", meeting.id);

    // Tens of thousands of different made-up words: each segment is fine, but the meeting's
    // search document exceeds PostgreSQL's 1 MB, after the old segments were deleted.
    let seed = 1;
    const word = () => {
      seed = (seed * 48271) % 2147483647;
      return seed.toString(36);
    };
    const lines = Array.from({ length: 100 }, () =>
      JSON.stringify({ speaker_id: "x", text: Array.from({ length: 1200 }, word).join(" ") }),
    );
    const result = await importTranscript(db, "bob", meeting.id, file(text(lines.join("\n")))).then(
      async (foreign) => {
        expect(foreign).toEqual({ status: "not_found" });
        return importTranscript(
          db,
          "alice",
          meeting.id,
          file(text(lines.join("\n")), "words.jsonl"),
        );
      },
    );
    expect(result).toEqual({
      status: "invalid",
      message:
        "This transcript has too many different words to index for search (more than PostgreSQL's 1 MB of distinct words).",
      httpStatus: 400,
    });
    expect(await segmentsOf(meeting.id)).toEqual([["spk_1", "Keep me."]]);
    expect(await listSpeakers(db, "alice", meeting.id)).toEqual([{ label: "spk_1", name: null }]);
    expect(await getTranscript(db, "alice", meeting.id)).toMatchObject({ source: "standup.vtt" });
    expect(await getMeeting(db, "alice", meeting.id)).toEqual(before);
  });

  it("refuses a bad file with its problem, changing nothing", async () => {
    const meeting = await meetingWithStatus(db, "alice", "active");
    await importTranscript(db, "alice", meeting.id, file(vttOf([["spk_1", "Keep me."]])));
    const before = await getMeeting(db, "alice", meeting.id);
    const broken = text(
      "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:03 --> 00:00:04.000\nbroken\n",
    );
    expect(await importTranscript(db, "alice", meeting.id, file(broken))).toEqual({
      status: "invalid",
      message: 'Line 6: No decimal separator (".") found.',
      httpStatus: 400,
    });
    expect(await segmentsOf(meeting.id)).toEqual([["spk_1", "Keep me."]]);
    expect(await getMeeting(db, "alice", meeting.id)).toEqual(before);
  });

  it("refuses a file over TRANSCRIPT_MAX_BYTES with 413", async () => {
    const meeting = await meetingWithStatus(db, "alice", "active");
    const { maxBytes } = (await import("~/config.server")).getConfig().transcripts;
    const big = text(`Ada: ${"words ".repeat(maxBytes / 6 + 10)}`);
    expect(await importTranscript(db, "alice", meeting.id, file(big, "big.txt"))).toEqual({
      status: "invalid",
      message: "The file is larger than 2 MB, the largest transcript we take.",
      httpStatus: 413,
    });
    expect(await db.select().from(transcriptSegments)).toEqual([]);
  });

  it("takes transcripts only once a meeting has started, and only the user's own", async () => {
    for (const status of ["upcoming", "cancelled"] as const) {
      const meeting = await meetingWithStatus(db, "alice", status);
      expect(await importTranscript(db, "alice", meeting.id, file(vttOf([["a", "x"]])))).toEqual({
        status: "refused",
        current: status,
      });
    }
    const bobs = await meetingWithStatus(db, "bob", "completed");
    expect(await importTranscript(db, "alice", bobs.id, file(vttOf([["a", "x"]])))).toEqual({
      status: "not_found",
    });
    expect(await db.select().from(transcriptSegments)).toEqual([]);
    const [row] = await db.select().from(meetings).where(eq(meetings.id, bobs.id));
    expect(row!.transcriptUrl).toBeNull();
  });
});

describe("the reader", () => {
  const cues = Array.from({ length: 450 }, (_, i): [string, string] => [
    i % 3 === 0 ? "spk_1" : "spk_2",
    i % 100 === 7 ? `Point ${i}: we deployed the release.` : `Point ${i}: nothing new.`,
  ]);

  it("pages long transcripts, and finds the page of a segment", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed");
    await importTranscript(db, "alice", meeting.id, file(vttOf(cues)));
    const first = await readTranscriptPage(db, "alice", meeting.id, {});
    expect(first).toMatchObject({ total: 450, page: 1, pageCount: 3, hits: null });
    expect(first.segments).toHaveLength(SEGMENTS_PER_PAGE);
    const last = await readTranscriptPage(db, "alice", meeting.id, { page: 9 });
    expect(last.page).toBe(3);
    expect(last.segments.map((s) => s.position)).toEqual(
      Array.from({ length: 50 }, (_, i) => 400 + i),
    );
    expect((await readTranscriptPage(db, "alice", meeting.id, { at: 205 })).page).toBe(2);
  });

  it("searches with stemming, marks the matches, counts them and links the previous and next", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed");
    await importTranscript(db, "alice", meeting.id, file(vttOf(cues)));
    // "deploying" finds "deployed": both are "deploy" in English.
    const found = await readTranscriptPage(db, "alice", meeting.id, { q: "deploying" });
    expect(found.hits).toEqual({
      count: 5,
      current: { ordinal: 1, position: 7 },
      previous: null,
      next: { ordinal: 2, position: 107 },
    });
    expect(found.page).toBe(1);
    expect(found.segments[7]).toMatchObject({
      match: true,
      text: "Point 7: we \u0002deployed\u0003 the release.",
    });
    expect(found.segments[8]).toMatchObject({ match: false, text: "Point 8: nothing new." });

    const third = await readTranscriptPage(db, "alice", meeting.id, { q: "deploying", hit: 3 });
    expect(third).toMatchObject({ page: 2 });
    expect(third.hits).toEqual({
      count: 5,
      current: { ordinal: 3, position: 207 },
      previous: { ordinal: 2, position: 107 },
      next: { ordinal: 4, position: 307 },
    });

    // Browsing to a page without choosing a match: the matches around the page.
    const browsing = await readTranscriptPage(db, "alice", meeting.id, { q: "deploying", page: 2 });
    expect(browsing.hits).toEqual({
      count: 5,
      current: null,
      previous: { ordinal: 2, position: 107 },
      next: { ordinal: 5, position: 407 },
    });
    expect(browsing.segments.filter((s) => s.match).map((s) => s.position)).toEqual([207, 307]);

    const nothing = await readTranscriptPage(db, "alice", meeting.id, { q: "budget" });
    expect(nothing.hits).toEqual({ count: 0, current: null, previous: null, next: null });
    expect(nothing.page).toBe(1);
  });

  it("filters by speaker, shows display names, and never shows another user's transcript", async () => {
    const meeting = await meetingWithStatus(db, "alice", "completed");
    await importTranscript(db, "alice", meeting.id, file(vttOf(cues.slice(0, 9))));
    await renameSpeaker(db, "alice", meeting.id, "spk_1", "Ada Lovelace");
    const ada = await readTranscriptPage(db, "alice", meeting.id, { speaker: "spk_1" });
    expect(ada.segments.map((s) => [s.position, s.speaker])).toEqual([
      [0, "Ada Lovelace"],
      [3, "Ada Lovelace"],
      [6, "Ada Lovelace"],
    ]);
    expect(await renameSpeaker(db, "bob", meeting.id, "spk_1", "Mallory")).toBe(false);
    expect(await renameSpeaker(db, "alice", meeting.id, "spk_9", "Nobody")).toBe(false);
    expect(await readTranscriptPage(db, "bob", meeting.id, {})).toMatchObject({
      total: 0,
      segments: [],
    });
    expect(await listSegments(db, "bob", meeting.id)).toEqual([]);
    expect(await getTranscript(db, "bob", meeting.id)).toBeUndefined();
    expect(await listSpeakers(db, "bob", meeting.id)).toEqual([]);
    // An empty name shows the label again.
    await renameSpeaker(db, "alice", meeting.id, "spk_1", "");
    expect((await listSpeakers(db, "alice", meeting.id))[0]).toEqual({
      label: "spk_1",
      name: null,
    });
  });
});

describe("searching across meetings", () => {
  it("finds meetings by name, summary or transcript words, with a marked snippet from the first match", async () => {
    const roadmap = await meetingWithStatus(db, "alice", "completed", "Roadmap review");
    const retro = await meetingWithStatus(db, "alice", "completed", "Retro");
    const standup = await meetingWithStatus(db, "alice", "processing", "Standup");
    await importTranscript(
      db,
      "alice",
      retro.id,
      file(
        vttOf([
          ["spk_1", "Welcome."],
          ["spk_2", "The invoices were migrated to the new ledger on Monday."],
        ]),
      ),
    );
    await db
      .update(meetings)
      .set({ summary: "We agreed to migrate billing to the ledger service." })
      .where(eq(meetings.id, standup.id));
    const bobs = await meetingWithStatus(db, "bob", "completed", "Bob's ledger migration");
    await importTranscript(db, "bob", bobs.id, file(vttOf([["x", "Ledger migration for Bob."]])));

    const byWords = await listMeetings(db, "alice", { q: "ledger migration" });
    expect(byWords.meetings.map((m) => m.name).sort()).toEqual(["Retro", "Standup"]);
    expect(byWords.total).toBe(2);
    expect(
      await searchSnippets(
        db,
        "alice",
        byWords.meetings.map((m) => m.id),
        "ledger migration",
      ),
    ).toEqual({
      [retro.id]: {
        source: "transcript",
        position: 1,
        startMs: 2000,
        text: "The invoices were \u0002migrated\u0003 to the new \u0002ledger\u0003 on Monday",
      },
      [standup.id]: {
        source: "summary",
        // A fragment: ts_headline leaves out short words at its edges, and the full stop.
        text: "agreed to \u0002migrate\u0003 billing to the \u0002ledger\u0003 service",
      },
    });

    expect((await listMeetings(db, "alice", { q: "ROADMAP" })).meetings.map((m) => m.id)).toEqual([
      roadmap.id,
    ]);
    expect((await listMeetings(db, "alice", { q: '"new ledger" -invoices' })).total).toBe(0);
    expect((await listMeetings(db, "alice", { q: "the" })).total).toBe(0);
    // Bob's meeting matches the words, but is not Alice's.
    expect(await searchSnippets(db, "alice", [bobs.id], "ledger")).toEqual({});
  });

  it("finds a quoted phrase said in a transcript, and not its words said apart", async () => {
    const said = await meetingWithStatus(db, "carol", "completed", "Said together");
    const apart = await meetingWithStatus(db, "carol", "completed", "Said apart");
    await importTranscript(
      db,
      "carol",
      said.id,
      file(
        vttOf([
          ["a", "Hello."],
          ["b", "We moved the billing service yesterday."],
        ]),
      ),
    );
    await importTranscript(
      db,
      "carol",
      apart.id,
      file(
        vttOf([
          ["a", "The service is down."],
          ["b", "Billing waits."],
        ]),
      ),
    );

    const names = async (q: string) =>
      (await listMeetings(db, "carol", { q })).meetings.map((m) => m.name).sort();
    expect(await names('"billing service"')).toEqual(["Said together"]);
    expect(await names("billing service")).toEqual(["Said apart", "Said together"]);
    expect(await names('"service billing"')).toEqual([]);
  });
});
