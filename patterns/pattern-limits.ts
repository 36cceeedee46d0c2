/**
 * A pattern's bounds as an editor offers them, read from the schemas that validate pattern
 * files (protocol/pattern.ts), so a form and the validator cannot disagree. Renderer-safe.
 */
import { z } from "zod";
import { PatternSchema, RotationKeyframeSchema, VibrationKeyframeSchema } from "../protocol/pattern.ts";

export interface Range {
  min: number;
  max: number;
}

function range(schema: z.ZodNumber, what: string): Range {
  const { minValue: min, maxValue: max } = schema;
  if (min === null || max === null)
    throw new Error(`patterns/pattern-limits.ts: ${what} has no min or max in its schema`);
  return { min, max };
}

function maxItems(schema: z.ZodArray, what: string): number {
  const max = z.toJSONSchema(schema).maxItems;
  if (max === undefined) throw new Error(`patterns/pattern-limits.ts: ${what} has no maximum length in its schema`);
  return max;
}

export const PATTERN_LIMITS = {
  /** Keyframes in one track (vibration or rotation). */
  keyframes: Math.min(
    maxItems(PatternSchema.shape.vibration, "vibration"),
    maxItems(PatternSchema.shape.rotation, "rotation"),
  ),
  /** A keyframe's time, ms (stored in 16 bits on the device). */
  keyframeMs: range(VibrationKeyframeSchema.shape.ms, "keyframe ms"),
  /** Vibration levels, 0..1. */
  vibration: range(VibrationKeyframeSchema.shape.to, "vibration level"),
  /** Rotation levels, -1..1: the sign is the direction. */
  rotation: range(RotationKeyframeSchema.shape.to, "rotation level"),
  recommendedMinutes: range(PatternSchema.shape.recommendedMinutes, "recommendedMinutes"),
} as const;
