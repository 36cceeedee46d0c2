/**
 * What the guide says, and when: one transition function over the app's status. A step that
 * starts is announced (its name and cue), a step longer than two minutes gets "one minute
 * left", and the end of the session a closing line. Pure, so the rules are tested without a
 * browser; guide.ts turns the cues into a chime, speech and the live region.
 */
import type { AppStatus } from "../../../device/app/contract.ts";

export type CueKind = "step" | "minute" | "end";

export interface Cue {
  kind: CueKind;
  text: string;
}

export interface GuideState {
  /** The session being guided (its start time), so a new session starts afresh. */
  session: string | undefined;
  /** The step last announced. */
  announced: number | undefined;
  /** The step whose "one minute left" was said. */
  warned: number | undefined;
}

export const INITIAL_GUIDE: GuideState = { session: undefined, announced: undefined, warned: undefined };

/** Steps longer than this get "one minute left". */
const MINUTE_WARNING_AFTER_MS = 2 * 60_000;
const MINUTE_MS = 60_000;
/** A page opened (or reloaded) later than this into the last minute does not say "one minute left". */
const MINUTE_WARNING_WINDOW_MS = 10_000;

const CLOSING: Record<string, string> = {
  DONE: "That is the end of the session. Well done.",
  HOST: "Session stopped. The massager is off.",
  ESTOP: "Stopped. The massager is off.",
  LIMIT: "Stopped at the session time limit. The massager is off.",
};

function stepText(status: NonNullable<AppStatus["session"]>): string {
  const step = status.step;
  if (!step) return "";
  const position = status.steps.length > 1 ? `Step ${step.index + 1} of ${status.steps.length}: ` : "";
  return `${position}${step.name}. ${step.cue}`;
}

export function advanceGuide(state: GuideState, status: AppStatus): { state: GuideState; cues: Cue[] } {
  const session = status.session;
  if (!session) {
    if (state.session === undefined) return { state, cues: [] };
    const reason = status.lastEnd?.reason ?? "HOST";
    const text = CLOSING[reason] ?? "The session ended. The massager stopped.";
    return { state: INITIAL_GUIDE, cues: [{ kind: "end", text }] };
  }
  let next: GuideState =
    state.session === session.startedAt
      ? state
      : { session: session.startedAt, announced: undefined, warned: undefined };
  const cues: Cue[] = [];
  const step = session.step;
  // Only a playing session speaks: the upload and a pause are quiet, and a step is announced when it plays.
  if (!step || session.status !== "playing") return { state: next, cues };
  if (next.announced !== step.index) {
    next = { ...next, announced: step.index };
    cues.push({ kind: "step", text: stepText(session) });
  }
  const left = step.startMs + step.durationMs - session.positionMs;
  if (
    step.durationMs > MINUTE_WARNING_AFTER_MS &&
    next.warned !== step.index &&
    left <= MINUTE_MS &&
    left > MINUTE_MS - MINUTE_WARNING_WINDOW_MS
  ) {
    next = { ...next, warned: step.index };
    cues.push({ kind: "minute", text: "One minute left in this step." });
  }
  return { state: next, cues };
}
