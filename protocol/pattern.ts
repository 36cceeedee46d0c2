/**
 * The massage-pattern model: what a pattern and a routine are, as zod schemas with the
 * TypeScript types inferred from them. User pattern files are validated with these too.
 */
import { z } from "zod";
import { EASINGS } from "./fields.ts";
import { MAX_KEY_DURATION_MS } from "./limits.ts";

/** Keyframes in one cycle of a track: enough for any massage motion, and a pattern file stays readable. */
const MAX_KEYFRAMES = 16;

export const GOALS = ["hair", "relax", "both"] as const;
export const GOAL_LABELS: Record<Goal, string> = {
  hair: "Hair and scalp health",
  relax: "Relaxation",
  both: "Hair health and relaxation",
};
export const TECHNIQUES = ["circular", "kneading", "tapping", "acupressure", "stroking", "lather"] as const;
export const ZONES = ["scalp", "temples", "forehead", "neck", "shoulders", "baseOfSkull"] as const;
export const PRESSURES = ["light", "medium", "firm"] as const;

/** The highest level (0..1) each pressure allows, for vibration and for rotation speed alike. */
export const PRESSURE_CAPS: Record<Pressure, number> = { light: 0.6, medium: 0.8, firm: 1 };

export const GoalSchema = z.enum(GOALS);
const TechniqueSchema = z.enum(TECHNIQUES);
const ZoneSchema = z.enum(ZONES);
const PressureSchema = z.enum(PRESSURES);
const EasingSchema = z.enum(EASINGS);

const idSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens, like scalp-circles");

const keyframe = (min: number, what: string) =>
  z
    .object({
      ms: z
        .number()
        .int()
        .min(1)
        .max(MAX_KEY_DURATION_MS)
        .describe("How long this keyframe takes to reach its level, in ms"),
      to: z.number().min(min).max(1).describe(what),
      ease: EasingSchema.default("linear").describe("The curve from the previous level to this one"),
    })
    .strict();

export const VibrationKeyframeSchema = keyframe(0, "Vibration intensity to reach, 0..1");
export const RotationKeyframeSchema = keyframe(-1, "Rotation speed to reach, -1..1; the sign is the direction");

export const PatternSchema = z
  .object({
    $schema: z.string().optional(),
    id: idSchema,
    name: z.string().min(1).max(60),
    description: z.string().min(1).max(400),
    goal: GoalSchema,
    technique: TechniqueSchema,
    zones: z.array(ZoneSchema).min(1),
    pressure: PressureSchema,
    recommendedMinutes: z.number().min(0.5).max(60),
    vibration: z
      .array(VibrationKeyframeSchema)
      .min(1)
      .max(MAX_KEYFRAMES)
      .describe("One cycle of vibration keyframes, repeated"),
    rotation: z
      .array(RotationKeyframeSchema)
      .min(1)
      .max(MAX_KEYFRAMES)
      .describe("One cycle of rotation keyframes, repeated"),
  })
  .strict();

const RoutineStepSchema = z
  .object({
    pattern: idSchema.describe("The id of the pattern this step plays"),
    minutes: z.number().min(0.25).max(60),
    cue: z.string().min(1).max(160).describe("Where to hold the massager and how, shown while the step plays"),
  })
  .strict();

export const RoutineSchema = z
  .object({
    $schema: z.string().optional(),
    id: idSchema,
    name: z.string().min(1).max(60),
    description: z.string().min(1).max(400),
    goal: GoalSchema,
    steps: z.array(RoutineStepSchema).min(1).max(12),
  })
  .strict();

export type Goal = z.infer<typeof GoalSchema>;
export type Technique = z.infer<typeof TechniqueSchema>;
export type Zone = z.infer<typeof ZoneSchema>;
export type Pressure = z.infer<typeof PressureSchema>;
export type Pattern = z.infer<typeof PatternSchema>;
export type PatternInput = z.input<typeof PatternSchema>;
export type Routine = z.infer<typeof RoutineSchema>;
export type RoutineStep = z.infer<typeof RoutineStepSchema>;
export type Keyframe = z.infer<typeof VibrationKeyframeSchema>;
