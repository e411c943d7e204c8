import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { createAgentViaForm } from "../support/agents";
import { startFileServer } from "../support/file-server";
import { meetingWithStatus } from "../support/meetings";
import { signIn } from "../support/sign-in";

// Transcripts as a person meets them, with JavaScript off and on: upload, read, search,
// rename, play from a moment, download, and search across meetings.

// Each test signs in and drives many pages; on a busy machine that takes a while.
test.describe.configure({ timeout: 150_000 });

const standup = [
  "WEBVTT",
  "",
  "00:00:01.000 --> 00:00:04.000",
  "<v spk_1>Good morning. Today we look at the release.",
  "",
  "00:00:05.000 --> 00:00:09.500",
  "<v spk_2>Staging is green, so we are <b>deploying</b> on Friday.",
  "",
  "00:00:12.000 --> 00:00:15.000",
  "<v spk_1>Who watches the dashboards after it is deployed?",
  "",
  "00:00:16.000 --> 00:00:18.000",
  "<v spk_2>I will.",
  "",
].join("\n");

/** Thirty seconds of silence as WAV (8 kHz, 8 bit), with the byte ranges media players ask for. */
function silence(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds, 0x80);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

async function startRecordingServer() {
  const wav = silence(30);
  return startFileServer({
    "/standup.wav": (req, res) => {
      const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Number(range[2]) : wav.length - 1;
      res.writeHead(range ? 206 : 200, {
        "Content-Type": "audio/wav",
        "Accept-Ranges": "bytes",
        "Content-Length": String(end - start + 1),
        ...(range ? { "Content-Range": `bytes ${start}-${end}/${wav.length}` } : {}),
      });
      res.end(wav.subarray(start, end + 1));
    },
  });
}

/** Uploads `content` as `name` through the meeting page's transcript form. */
async function uploadTranscript(page: Page, name: string, content: string) {
  await page.getByLabel("Transcript file").setInputFiles({
    name,
    mimeType: "text/vtt",
    buffer: Buffer.from(content),
  });
  await page.getByRole("button", { name: /the transcript$/ }).click();
}

function transcriptItems(page: Page) {
  return page.getByRole("list", { name: "Transcript" }).getByRole("listitem");
}

test("upload a WebVTT file, then read, search, rename a speaker, play from a moment and download it", async ({
  page,
  javaScriptEnabled,
}) => {
  const recordings = await startRecordingServer();
  try {
    await signIn(page);
    await createAgentViaForm(page, { name: "Scribe", instructions: "Takes notes" });
    const meetingPath = await meetingWithStatus(
      page,
      { name: "Release standup", agent: "Scribe" },
      "completed",
      { recordingUrl: `${recordings.url}/standup.wav`, summary: "Friday release agreed." },
    );

    await uploadTranscript(page, "standup.vtt", standup);
    await expect(page.getByRole("status")).toHaveText("Transcript added: 4 segments of WebVTT");
    await expect(page).toHaveURL(new RegExp(`${meetingPath}/transcript$`));
    const items = transcriptItems(page);
    await expect(items).toHaveCount(4);
    await expect(items.nth(1)).toContainText("00:05");
    await expect(items.nth(1)).toContainText("spk_2");
    await expect(items.nth(1)).toContainText("Staging is green, so we are deploying on Friday.");

    // Search: "deploy" finds "deploying" and "deployed", marked, one match at a time.
    const search = page.getByRole("search", { name: "Search the transcript" });
    await search.getByLabel("Words").fill("deploy");
    await search.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\/transcript\?q=deploy/);
    const matches = page.getByRole("navigation", { name: "Search matches" });
    await expect(matches.getByTestId("hit-count")).toHaveText("Match 1 of 2 for “deploy”");
    await expect(page.locator("mark")).toHaveText(["deploying", "deployed"]);
    await expect(items.nth(1)).toHaveAttribute("aria-current", "true");
    await matches.getByRole("link", { name: "Next match" }).click();
    await expect(matches.getByTestId("hit-count")).toHaveText("Match 2 of 2 for “deploy”");
    await expect(items.nth(2)).toHaveAttribute("aria-current", "true");
    await expect(matches.getByRole("link", { name: "Next match" })).toHaveCount(0);

    // Only one speaker.
    await search.getByLabel("Words").fill("");
    await search.getByLabel("Speaker").selectOption("spk_1");
    await search.getByRole("button", { name: "Search" }).click();
    await expect(items).toHaveCount(2);
    await expect(items.getByTestId("speaker")).toHaveText(["spk_1", "spk_1"]);

    // Rename spk_2, applied everywhere.
    await page.goto(`${meetingPath}/transcript`);
    const speakers = page.getByRole("region", { name: "Speakers" });
    await speakers.getByLabel("Speaker", { exact: true }).selectOption("spk_2");
    await speakers.getByLabel("Display name").fill("Grace");
    await speakers.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByRole("status")).toHaveText("spk_2 is now shown as Grace");
    await expect(items.getByTestId("speaker")).toHaveText(["spk_1", "Grace", "spk_1", "Grace"]);

    // Play from 00:12: with JavaScript the player seeks in place; without, the page reloads
    // with ?t=12 and the recording's media fragment starts it there.
    const player = page.getByLabel("Recording");
    await expect(player).toHaveAttribute("src", `${recordings.url}/standup.wav`);
    await items.nth(2).getByRole("link", { name: "Play from 00:12" }).click();
    if (javaScriptEnabled) {
      await expect
        .poll(() => player.evaluate((media: HTMLMediaElement) => Math.floor(media.currentTime)))
        .toBeGreaterThanOrEqual(12);
      await expect(page).toHaveURL(new RegExp(`${meetingPath}/transcript$`));
    } else {
      await expect(page).toHaveURL(/\/transcript\?t=12#segment-2$/);
      await expect(player).toHaveAttribute("src", `${recordings.url}/standup.wav#t=12`);
    }

    // Each download, named after the meeting, with the speaker's new name.
    const downloads = page.getByRole("navigation", { name: "Downloads" });
    const expected: Record<string, [string, RegExp]> = {
      Text: ["Release standup.txt", /^\[00:05\] Grace: Staging is green/m],
      WebVTT: ["Release standup.vtt", /^WEBVTT\n\n00:00:01\.000 --> 00:00:04\.000\n<v spk_1>Good/],
      SRT: ["Release standup.srt", /^2\n00:00:05,000 --> 00:00:09,500\nGrace: Staging/m],
      JSON: ["Release standup.json", /"speaker": "Grace",\n\s+"speaker_label": "spk_2"/],
      Markdown: [
        "Release standup.md",
        /^## Summary\n\nFriday release agreed\.\n[\s\S]*\*\*Grace\*\* \[00:05\]/m,
      ],
    };
    for (const [label, [fileName, content]] of Object.entries(expected)) {
      const download = page.waitForEvent("download");
      await downloads.getByRole("link", { name: label, exact: true }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(fileName);
      expect(await readFile((await file.path())!, "utf8")).toMatch(content);
    }

    // Search across meetings finds the transcript's words and leads to the moment.
    await page.goto("/meetings");
    const filters = page.getByRole("search", { name: "Filter meetings" });
    await filters.getByRole("searchbox", { name: "Search" }).fill("dashboards");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    const snippet = page.getByTestId("search-snippet");
    await expect(snippet).toContainText("Transcript at 00:12:");
    await expect(snippet.locator("mark")).toHaveText("dashboards");
    await snippet.getByRole("link").click();
    await expect(page).toHaveURL(/\/transcript\?q=dashboards&at=2#segment-2$/);
    await expect(matches.getByTestId("hit-count")).toHaveText("Match 1 of 1 for “dashboards”");
    await expect(items.nth(2)).toHaveAttribute("aria-current", "true");
  } finally {
    await recordings.close();
  }
});

test("a bad file is refused beside the field, and the meeting keeps its transcript", async ({
  page,
  javaScriptEnabled,
}) => {
  await signIn(page);
  await createAgentViaForm(page, { name: "Scribe", instructions: "Takes notes" });
  const meetingPath = await meetingWithStatus(page, { name: "Retro", agent: "Scribe" }, "active");
  await uploadTranscript(page, "retro.vtt", standup);
  await expect(page.getByRole("status")).toHaveText("Transcript added: 4 segments of WebVTT");

  await page.goto(meetingPath);
  const broken =
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFine.\n\n00:00:03 --> 00:00:04.000\nBroken.\n";
  const response = page.waitForResponse((r) => r.url().includes("/transcript/import"));
  await uploadTranscript(page, "broken.vtt", broken);
  expect((await response).status()).toBe(400);
  const file = page.getByLabel("Transcript file");
  await expect(file).toHaveAttribute("aria-invalid", "true");
  await expect(file).toHaveAccessibleDescription(
    /broken\.vtt: Line 6: No decimal separator \("\."\) found\./,
  );

  // A URL that is not one: the message sits beside the URL field, which keeps what was typed.
  const url = page.getByLabel("Or fetch it from a URL");
  await url.fill("ftp://files.example.com/retro.vtt");
  await page.getByRole("button", { name: /the transcript$/ }).click();
  await expect(url).toHaveAttribute("aria-invalid", "true");
  await expect(url).toHaveAccessibleDescription(/Enter an absolute URL starting with https:\/\//);
  await expect(url).toHaveValue("ftp://files.example.com/retro.vtt");
  if (!javaScriptEnabled) await expect(page).toHaveURL(/\/transcript\/import$/);

  await page.goto(meetingPath);
  await expect(page.getByRole("region", { name: "Transcript" })).toContainText(
    "4 segments from retro.vtt",
  );
  await page.getByRole("link", { name: "Read the transcript" }).click();
  await expect(transcriptItems(page)).toHaveCount(4);
});
