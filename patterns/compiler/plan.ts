/**
 * From a pattern or a routine to the list of steps a session plays, each with its pattern,
 * cue and time slot. A routine's step minutes are weights: they are scaled to fill the
 * requested duration exactly (slot boundaries are rounded from the running total, so the
 * slots always add up).
 */
import type { z } from "zod";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import {
  type Pattern,
  PatternSchema,
  type Routine,
  RoutineSchema,
  type RoutineStep,
  type Zone,
} from "../../protocol/pattern.ts";
import { jsonPath } from "../json-path.ts";
import { MIN_STEP_MS } from "./options.ts";

/** Finds a pattern by id; the compiler uses the built-in library unless it is given another. */
export type PatternLookup = (id: string) => Pattern | undefined;

export interface PlannedStep {
  index: number;
  pattern: Pattern;
  cue: string;
  startMs: number;
  durationMs: number;
}

/** True when `source` is a routine (it has steps) rather than a pattern. */
export function isRoutine(source: Pattern | Routine): source is Routine {
  return "steps" in source;
}

const ZONE_WORDS: Record<Zone, string> = {
  scalp: "scalp",
  temples: "temples",
  forehead: "forehead",
  neck: "neck",
  shoulders: "shoulders",
  baseOfSkull: "base of the skull",
};

/** The cue shown when a single pattern plays on its own. */
export function defaultCue(pattern: Pattern): string {
  const zones = pattern.zones.map((zone) => ZONE_WORDS[zone]);
  const where = zones.length > 1 ? `${zones.slice(0, -1).join(", ")} and ${zones.at(-1)}` : zones[0];
  return `Hold the massager on your ${where} with ${pattern.pressure} pressure.`;
}

/** Splits `durationMs` over the steps in proportion to their minutes. */
export function planSteps(source: Pattern | Routine, durationMs: number, lookup: PatternLookup): PlannedStep[] {
  if (!isRoutine(source)) {
    const pattern = checked(PatternSchema, source, "pattern");
    return [{ index: 0, pattern, cue: defaultCue(pattern), startMs: 0, durationMs }];
  }
  const routine = checked(RoutineSchema, source, "routine");
  const patterns = routine.steps.map((step) => resolve(step, routine.id, lookup));
  const totalMinutes = routine.steps.reduce((sum, step) => sum + step.minutes, 0);
  const plan: PlannedStep[] = [];
  let elapsedMinutes = 0;
  let startMs = 0;
  routine.steps.forEach((step, index) => {
    elapsedMinutes += step.minutes;
    const last = index === routine.steps.length - 1;
    const endMs = last ? durationMs : Math.round((durationMs * elapsedMinutes) / totalMinutes);
    plan.push({ index, pattern: patterns[index] as Pattern, cue: step.cue, startMs, durationMs: endMs - startMs });
    startMs = endMs;
  });
  const shortest = Math.min(...plan.map((step) => step.durationMs));
  if (shortest < MIN_STEP_MS) {
    const neededMinutes = Math.ceil(((MIN_STEP_MS * durationMs) / shortest / 60_000) * 100) / 100;
    throw new MassagerError(
      ErrorCode.InvalidOption,
      `${(durationMs / 60_000).toFixed(2)} minutes is too short for routine "${routine.id}": a step would last under ${MIN_STEP_MS / 1000} s`,
      { hint: `give it at least ${neededMinutes} minutes` },
    );
  }
  return plan;
}

function resolve(step: RoutineStep, routineId: string, lookup: PatternLookup): Pattern {
  const pattern = lookup(step.pattern);
  if (pattern === undefined) {
    throw new MassagerError(ErrorCode.PatternNotFound, `routine "${routineId}": no pattern "${step.pattern}"`, {
      hint: "run `massager patterns list` to see the pattern ids",
    });
  }
  return checked(PatternSchema, pattern, "pattern");
}

function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const id = typeof value === "object" && value !== null && "id" in value ? String(value.id) : "?";
  throw new MassagerError(
    ErrorCode.InvalidPattern,
    `${what} "${id}": ${jsonPath(issue?.path ?? [])}: ${issue?.message ?? "invalid"}`,
    { hint: "run `massager patterns validate <file>` to see every problem" },
  );
}
