/**
 * The library as the app shows it: the built-in patterns and routines beside the person's
 * own patterns, as cards with what the start screen filters on.
 */

import { getPattern, getRoutine, HAIR_MINUTES, listPatterns, listRoutines, recommend } from "../../patterns/index.ts";

import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Goal, Pattern, Pressure, Routine, Technique, Zone } from "../../protocol/pattern.ts";
import { PRESSURES } from "../../protocol/pattern.ts";

export interface LibraryCard {
  kind: "pattern" | "routine";
  id: string;
  name: string;
  description: string;
  goal: Goal;
  techniques: Technique[];
  zones: Zone[];
  /** The firmest pressure it uses. */
  pressure: Pressure;
  recommendedMinutes: number;
  /** One of the person's own patterns. */
  custom: boolean;
}

/** A routine picked for a goal and the minutes available, and why. */
export interface RecommendationView {
  card: LibraryCard;
  minutes: number;
  reason: string;
  steps: { name: string; minutes: number; cue: string }[];
  /** The variant's own step minutes: send them as the request's `stepMinutes` to play it. */
  stepMinutes: number[];
}

/** Finds patterns and routines, the person's own patterns included. */
export class Library {
  private readonly custom = new Map<string, Pattern>();

  /** Replaces the person's patterns (re-read from the data folder). */
  setCustom(patterns: readonly Pattern[]): void {
    this.custom.clear();
    for (const pattern of patterns) this.custom.set(pattern.id, pattern);
  }

  /** One of the person's own patterns (a file that takes a built-in's id is not: it is never used). */
  isCustom(id: string): boolean {
    return this.custom.has(id) && !this.isBuiltIn(id);
  }

  /** The person's files that take a built-in's id, which the app does not use. */
  shadowing(): string[] {
    return [...this.custom.keys()].filter((id) => this.isBuiltIn(id));
  }

  isBuiltIn(id: string): boolean {
    return getPattern(id) !== undefined || getRoutine(id) !== undefined;
  }

  /**
   * A pattern by id: a built-in one first, so the built-in routines always play what they were
   * written with (the app refuses to save a pattern under a built-in's id; a file that has one
   * anyway is not used, and the library says so).
   */
  readonly pattern = (id: string): Pattern | undefined => getPattern(id) ?? this.custom.get(id);

  /**
   * A routine or pattern by id; with `stepMinutes`, the routine's variant whose steps last those
   * minutes (a recommendation's). Pure: the same arguments give the same source, whatever was
   * recommended to whom. Throws InvalidOption when `stepMinutes` does not fit the source.
   */
  source(id: string, stepMinutes?: readonly number[]): Pattern | Routine | undefined {
    const routine = getRoutine(id);
    if (stepMinutes === undefined) return routine ?? this.pattern(id);
    if (routine === undefined) {
      if (this.pattern(id) === undefined) return undefined;
      throw new MassagerError(ErrorCode.InvalidOption, `stepMinutes given for "${id}", which is a pattern`, {
        hint: "send stepMinutes only for a routine (a recommendation's), or leave it out",
      });
    }
    if (stepMinutes.length !== routine.steps.length) {
      throw new MassagerError(
        ErrorCode.InvalidOption,
        `stepMinutes has ${stepMinutes.length} entries; routine "${id}" has ${routine.steps.length} steps`,
        { hint: "send the stepMinutes of the recommendation for this routine, or leave it out" },
      );
    }
    return {
      ...routine,
      steps: routine.steps.map((step, i) => ({ ...step, minutes: stepMinutes[i] ?? step.minutes })),
    };
  }

  /**
   * A routine for the goal in the minutes the person has, never longer than their maximum
   * session (and saying so when that caps it), and no shower routine unless they confirmed
   * their massager is rated for water.
   */
  recommend(goal: Goal, minutes: number, limits: { maxMinutes?: number; showers?: boolean } = {}): RecommendationView {
    const capped = limits.maxMinutes !== undefined && minutes > limits.maxMinutes;
    const available = capped ? (limits.maxMinutes ?? minutes) : minutes;
    let { routine, minutes: playMinutes, reason } = recommend({ goal, minutes: available });
    if (limits.showers === false && isShowerRoutine(routine, this.pattern)) {
      // Hair care out of the shower: the daily routine, in the minutes there are.
      const dry = recommend({ goal: "hair", minutes: Math.max(available, HAIR_MINUTES) });
      routine = dry.routine;
      playMinutes = available;
      reason =
        available < HAIR_MINUTES
          ? `With ${available} minutes, go over the whole scalp once; aim for ${HAIR_MINUTES} when you can.`
          : dry.reason;
    }
    if (capped) {
      reason = `${reason} Capped at ${available} min, your maximum session length (Settings).`;
    }
    const total = routine.steps.reduce((sum, step) => sum + step.minutes, 0);
    return {
      card: this.routineCard(routine),
      minutes: playMinutes,
      reason,
      steps: routine.steps.map((step) => ({
        name: this.pattern(step.pattern)?.name ?? step.pattern,
        minutes: Math.round(((step.minutes * playMinutes) / total) * 10) / 10,
        cue: step.cue,
      })),
      stepMinutes: routine.steps.map((step) => step.minutes),
    };
  }

  cards(): LibraryCard[] {
    const routines = listRoutines().map((routine) => this.routineCard(routine));
    const builtIn = listPatterns().map((pattern) => patternCard(pattern, false));
    const own = [...this.custom.values()]
      .filter((pattern) => !this.isBuiltIn(pattern.id))
      .map((pattern) => patternCard(pattern, true));
    return [...routines, ...builtIn, ...own];
  }

  private routineCard(routine: Routine): LibraryCard {
    const patterns = routine.steps.map((step) => this.pattern(step.pattern)).filter((p) => p !== undefined);
    const firmest = Math.max(0, ...patterns.map((pattern) => PRESSURES.indexOf(pattern.pressure)));
    return {
      kind: "routine",
      id: routine.id,
      name: routine.name,
      description: routine.description,
      goal: routine.goal,
      techniques: unique(patterns.map((pattern) => pattern.technique)),
      zones: unique(patterns.flatMap((pattern) => pattern.zones)),
      pressure: PRESSURES[firmest] ?? "light",
      recommendedMinutes: routine.steps.reduce((sum, step) => sum + step.minutes, 0),
      custom: false,
    };
  }
}

function patternCard(pattern: Pattern, custom: boolean): LibraryCard {
  return {
    kind: "pattern",
    id: pattern.id,
    name: pattern.name,
    description: pattern.description,
    goal: pattern.goal,
    techniques: [pattern.technique],
    zones: [...pattern.zones],
    pressure: pattern.pressure,
    recommendedMinutes: pattern.recommendedMinutes,
    custom,
  };
}

/** Shower routines lather: they are for a massager rated for water only. */
function isShowerRoutine(routine: Routine, pattern: (id: string) => Pattern | undefined): boolean {
  return routine.steps.some((step) => pattern(step.pattern)?.technique === "lather");
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
