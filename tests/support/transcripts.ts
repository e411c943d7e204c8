import { createAgent } from "~/agents/queries.server";
import type { Database } from "~/db/client.server";
import type { MeetingStatus } from "~/db/schema";
import { createMeeting, moveMeeting } from "~/meetings/queries.server";

/** A meeting of `userId` brought to `status` through the app's own lifecycle moves. */
export async function meetingWithStatus(
  db: Database,
  userId: string,
  status: MeetingStatus,
  name = `Meeting ${status}`,
) {
  const agent = await createAgent(db, userId, {
    name: "Scribe",
    instructions: "Notes",
    githubRepo: null,
  });
  const meeting = (await createMeeting(db, userId, { name, agentId: agent.id }))!;
  const path: Record<MeetingStatus, Array<"start" | "end" | "complete" | "cancel">> = {
    upcoming: [],
    cancelled: ["cancel"],
    active: ["start"],
    processing: ["start", "end"],
    completed: ["start", "end", "complete"],
  };
  for (const move of path[status]) {
    const moved = await moveMeeting(db, userId, meeting.id, move);
    if (moved.status !== "moved") throw new Error(`could not ${move} the meeting`);
  }
  return meeting;
}

/** WebVTT of `cues` ([speaker or null, text]), one every 2 seconds. */
export function vttOf(cues: Array<[string | null, string]>): Uint8Array<ArrayBuffer> {
  const stamp = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  const body = cues
    .map(([speaker, text], i) => {
      const timing = `${stamp(i * 2000)} --> ${stamp(i * 2000 + 1500)}`;
      return `${timing}\n${speaker ? `<v ${speaker}>` : ""}${text}\n`;
    })
    .join("\n");
  return new TextEncoder().encode(`WEBVTT\n\n${body}`);
}
