import { describe, expect, it } from "vitest";
import type { MeetingStatus } from "~/db/schema";
import {
  canMove,
  meetingStatuses,
  moves,
  movesFrom,
  refusalMessage,
  type MeetingMove,
} from "./lifecycle";

const allowed: Record<MeetingStatus, Partial<Record<MeetingStatus, MeetingMove>>> = {
  upcoming: { active: "start", cancelled: "cancel" },
  active: { processing: "end" },
  processing: { completed: "complete" },
  completed: { processing: "regenerate" },
  cancelled: {},
};

describe("the meeting lifecycle", () => {
  for (const from of meetingStatuses) {
    for (const to of meetingStatuses) {
      const move = allowed[from][to];
      it(`${move ? "allows" : "refuses"} ${from} → ${to}`, () => {
        const reaching = (Object.keys(moves) as MeetingMove[]).filter(
          (m) => canMove(from, m) && moves[m].to === to,
        );
        expect(reaching).toEqual(move ? [move] : []);
      });
    }
  }

  it("offers the moves of each status: a new summary from completed, none from cancelled", () => {
    expect(movesFrom("upcoming")).toEqual(["start", "cancel"]);
    expect(movesFrom("active")).toEqual(["end"]);
    expect(movesFrom("processing")).toEqual(["complete"]);
    expect(movesFrom("completed")).toEqual(["regenerate"]);
    expect(movesFrom("cancelled")).toEqual([]);
  });

  it("explains each refused move in words", () => {
    expect(refusalMessage("start", "active")).toBe("This meeting was already started.");
    expect(refusalMessage("cancel", "cancelled")).toBe("This meeting was already cancelled.");
    expect(refusalMessage("cancel", "active")).toMatch(/can no longer be cancelled/);
    expect(refusalMessage("end", "upcoming")).toBe("This meeting has not started yet.");
    expect(refusalMessage("end", "completed")).toBe("This meeting has already ended.");
    expect(refusalMessage("complete", "completed")).toBe(
      "This meeting was already marked completed.",
    );
    expect(refusalMessage("start", "cancelled")).toMatch(/cancelled meeting is final/);
    expect(refusalMessage("regenerate", "processing")).toBe(
      "This meeting's summary is already being made.",
    );
    for (const status of meetingStatuses) {
      for (const move of Object.keys(moves) as MeetingMove[]) {
        if (!canMove(status, move)) expect(refusalMessage(move, status)).toMatch(/\.$/);
      }
    }
  });
});
