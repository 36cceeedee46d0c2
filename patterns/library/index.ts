/** The built-in library: patterns and routines by id. Renderer-safe: plain data, no Node. */
import type { Pattern, Routine } from "../../protocol/pattern.ts";
import { HEAD_PATTERNS } from "./head.ts";
import { ROUTINES } from "./routines.ts";
import { SCALP_PATTERNS } from "./scalp.ts";

const patterns: readonly Pattern[] = [...SCALP_PATTERNS, ...HEAD_PATTERNS];
const routines: readonly Routine[] = ROUTINES;
const patternsById = new Map(patterns.map((pattern) => [pattern.id, pattern]));
const routinesById = new Map(routines.map((routine) => [routine.id, routine]));

/** A built-in pattern by id, or undefined. */
export function getPattern(id: string): Pattern | undefined {
  return patternsById.get(id);
}

/** A built-in routine by id, or undefined. */
export function getRoutine(id: string): Routine | undefined {
  return routinesById.get(id);
}

/** Every built-in pattern, scalp ones first. */
export function listPatterns(): readonly Pattern[] {
  return patterns;
}

/** Every built-in routine. */
export function listRoutines(): readonly Routine[] {
  return routines;
}
