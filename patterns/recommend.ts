/**
 * Picks a built-in routine for a goal and the time someone has. The seed article's rules of
 * thumb: scalp care wants at least five minutes; a head massage suits relaxation; with time for
 * both, the scalp comes first and the head follows.
 */
import { ErrorCode, MassagerError } from "../protocol/errors.ts";
import type { Goal, Routine } from "../protocol/pattern.ts";
import { defaultMinutes } from "./default-minutes.ts";
import { HAIR_MINUTES } from "./hair-minutes.ts";
import { getRoutine } from "./library/index.ts";

export interface RecommendRequest {
  goal: Goal;
  /** Minutes available, 0.5..1440; absent means the routine's own length. */
  minutes?: number;
}

export interface Recommendation {
  routine: Routine;
  /** How long to play it: the minutes available, or the routine's own length. */
  minutes: number;
  /** One line on why this routine. */
  reason: string;
}

/** Below this, "both" is only scalp care: the head part would be too short to do anything. */
const BOTH_MINUTES = 7;
/** Below this, relaxation is the short neck-and-temples break rather than the full massage. */
const FULL_RELAX_MINUTES = 6;

/** A routine for the goal that fits in the minutes available. Throws InvalidOption for minutes outside 0.5..1440. */
export function recommend(request: RecommendRequest): Recommendation {
  const { goal, minutes } = request;
  if (minutes !== undefined && !(minutes >= 0.5 && minutes <= 1440)) {
    throw new MassagerError(ErrorCode.InvalidOption, `minutes: ${minutes} is outside 0.5..1440`, {
      hint: "give the minutes you have, for example --minutes 5",
    });
  }
  switch (goal) {
    case "hair":
      return forHair(minutes);
    case "relax":
      return forRelaxation(minutes);
    case "both":
      return forBoth(minutes);
  }
}

function forHair(minutes: number | undefined): Recommendation {
  if (minutes !== undefined && minutes < HAIR_MINUTES) {
    return pick(
      "quick-shower",
      minutes,
      `With ${show(minutes)} minutes, give your scalp a quick going-over while you shampoo; aim for ${HAIR_MINUTES} when you can.`,
    );
  }
  return pick(
    "daily-hair-care",
    minutes,
    `${show(minutes ?? HAIR_MINUTES)} minutes over the whole scalp: ${HAIR_MINUTES} or more a day keeps blood flowing to the hair roots.`,
  );
}

function forRelaxation(minutes: number | undefined): Recommendation {
  if (minutes !== undefined && minutes < FULL_RELAX_MINUTES) {
    return pick(
      "quick-tension-relief",
      minutes,
      `With ${show(minutes)} minutes, work on the neck, shoulders and pressure points, where tension collects most.`,
    );
  }
  return pick(
    "relaxing-head-massage",
    minutes,
    "A full head massage relaxes most: neck and shoulders first, then scalp and temples, then the base of the skull.",
  );
}

function forBoth(minutes: number | undefined): Recommendation {
  if (minutes !== undefined && minutes < BOTH_MINUTES) {
    const hair = forHair(minutes);
    return {
      ...hair,
      reason: `${show(minutes)} minutes is too short for both, so scalp care comes first. ${hair.reason}`,
    };
  }
  const routine = requireRoutine("scalp-then-head");
  const own = defaultMinutes(routine);
  const scalp = routine.steps[0]?.minutes ?? 0;
  const playMinutes = minutes ?? own;
  const scaledScalp = (scalp * playMinutes) / own;
  if (scaledScalp >= HAIR_MINUTES) {
    return {
      routine,
      minutes: playMinutes,
      reason: `Scalp care first for your hair (${show(scaledScalp)} min), then a head massage to release neck, shoulders and temples.`,
    };
  }
  // Too little time to scale evenly: keep the scalp at five minutes and share the rest over the head steps.
  const headMinutes = playMinutes - HAIR_MINUTES;
  const headWeights = own - scalp;
  const steps = routine.steps.map((step, index) =>
    index === 0 ? { ...step, minutes: HAIR_MINUTES } : { ...step, minutes: (step.minutes * headMinutes) / headWeights },
  );
  return {
    routine: { ...routine, steps },
    minutes: playMinutes,
    reason: `${HAIR_MINUTES} minutes of scalp care for your hair, then ${show(headMinutes)} minutes of head massage for the tension.`,
  };
}

function pick(id: string, minutes: number | undefined, reason: string): Recommendation {
  const routine = requireRoutine(id);
  return { routine, minutes: minutes ?? defaultMinutes(routine), reason };
}

function requireRoutine(id: string): Routine {
  const routine = getRoutine(id);
  if (!routine) throw new MassagerError(ErrorCode.PatternNotFound, `the built-in routine "${id}" is missing`);
  return routine;
}

function show(minutes: number): string {
  return String(Math.round(minutes * 10) / 10);
}
