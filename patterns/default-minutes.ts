import type { Pattern, Routine } from "../protocol/pattern.ts";

/** How long a pattern or routine plays when no length is asked for: its recommended minutes, or its steps' sum. */
export function defaultMinutes(source: Pattern | Routine): number {
  if ("steps" in source) return source.steps.reduce((sum, step) => sum + step.minutes, 0);
  return source.recommendedMinutes;
}
