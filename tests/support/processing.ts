import { createAgent } from "~/agents/queries.server";
import type { Database } from "~/db/client.server";
import { createMeeting, moveMeeting } from "~/meetings/queries.server";
import { offlineSummariser, type Summariser } from "~/processing/summariser.server";
import { createUser } from "./users";

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  { timeoutMs = 15_000, everyMs = 100, what = "the condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A user with an agent, ready to hold meetings. */
export async function userWithAgent(
  db: Database,
  agent: { name?: string; instructions?: string; githubRepo?: string | null } = {},
) {
  const user = await createUser(db, { emailVerified: true });
  const created = await createAgent(db, user.id, {
    name: agent.name ?? "Scribe",
    instructions: agent.instructions ?? "Keep the notes short.",
    githubRepo: agent.githubRepo ?? null,
  });
  return { user, agent: created };
}

/** A meeting that was started and ended: it is now processing (no job is queued here). */
export async function endedMeeting(db: Database, userId: string, agentId: string, name = "Sync") {
  const meeting = (await createMeeting(db, userId, { name, agentId }))!;
  await moveMeeting(db, userId, meeting.id, "start");
  const ended = await moveMeeting(db, userId, meeting.id, "end");
  if (ended.status !== "moved") throw new Error("The meeting did not end");
  return ended.meeting;
}

/**
 * The offline summariser, counting its runs and taking `delayMs` longer each: for specs about
 * how often, and for how long, jobs run.
 */
export function countingSummariser(delayMs = 0): Summariser & { runs: string[] } {
  const runs: string[] = [];
  return {
    name: "offline",
    runs,
    async summarise(request) {
      runs.push(request.meetingId);
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return offlineSummariser.summarise(request);
    },
  };
}
