/**
 * What is kept of a session once it ends: the end screen's summary (AppStatus.lastEnd) and the
 * history entry, both from how far it really played.
 */
import type { SessionEndSummary, SessionRequest } from "./contract.ts";
import type { SessionPlan } from "./session-planning.ts";
import type { HistoryEntry } from "./store/history.ts";

/** The session playing, from its start until it ends. */
export interface PlayingSession {
  plan: SessionPlan;
  request: SessionRequest;
  startedAt: Date;
  /** The last position the controller reported: how far a session stopped early got. */
  lastPositionMs: number;
}

/** The end screen's summary and the history entry of `playing`, which ended as `end` says. */
export function sessionRecord(
  playing: PlayingSession,
  end: SessionEndSummary,
): { lastEnd: SessionEndSummary; entry: HistoryEntry } {
  const { session, minutes } = playing.plan;
  const played = end.completed ? session.durationMs : Math.min(playing.lastPositionMs, session.durationMs);
  const lastEnd = {
    ...end,
    summary: {
      sourceId: session.sourceId,
      name: session.name,
      playedMs: played,
      durationMs: session.durationMs,
      minutes,
      intensity: playing.plan.intensity,
      ...(playing.request.stepMinutes ? { stepMinutes: playing.request.stepMinutes } : {}),
    },
  };
  const entry = {
    startedAt: playing.startedAt.toISOString(),
    sourceId: session.sourceId,
    name: session.name,
    goal: session.goal,
    plannedMinutes: minutes,
    minutes: Math.round((played / 60_000) * 100) / 100,
    completed: end.completed,
    endReason: end.reason,
  };
  return { lastEnd, entry };
}
