/**
 * What a session is compiled against, with units, ranges and defaults in one place.
 * Checked with zod so a bad option becomes one readable InvalidOption error.
 */
import { z } from "zod";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { MAX_KEY_DURATION_MS } from "../../protocol/limits.ts";

/** The program size and output caps of the device a session is compiled for. */
export interface DeviceLimits {
  /** Blocks the device stores in one program (ID `maxBlocks`). */
  maxBlocks: number;
  /** Keyframes it stores, over all blocks and both tracks (ID `maxKeys`). */
  maxKeys: number;
  /** Its hard vibration cap, 0..1. */
  vibrationCap: number;
  /** Its hard rotation-speed cap, 0..1, in either direction. */
  rotationCap: number;
}

/** Program size of the reference firmware; used when the device is not known yet. */
export const DEFAULT_DEVICE_LIMITS: Readonly<DeviceLimits> = Object.freeze({
  maxBlocks: 16,
  maxKeys: 96,
  vibrationCap: 1,
  rotationCap: 1,
});

/** The soft ramp from and to zero at each end of a session (and of each chunk), in ms. */
export const DEFAULT_RAMP_MS = 1500;

/** The shortest a step may be once the routine is scaled, so its ramps stay ramps. */
export const MIN_STEP_MS = 2000;

/** The longest session: one LOAD announces at most a day. */
export const MAX_SESSION_MINUTES = 1440;

export interface CompileOptions {
  /** Session length in minutes (decimals allowed), MIN_STEP_MS/60000..1440. */
  minutes: number;
  /** Overall intensity in percent, 0..100; multiplies every keyframe level. */
  intensity: number;
  /** The person's own maximum, 0..1, for vibration and rotation speed alike. Default 1. */
  personalMax?: number;
  /** The device's limits; DEFAULT_DEVICE_LIMITS when absent. */
  device?: DeviceLimits;
  /** Ramp from and to zero, in ms, 100..10000 (shortened for very short steps). Default 1500. */
  rampMs?: number;
}

const unit = z.number().min(0).max(1);

const OptionsSchema = z.object({
  minutes: z
    .number()
    .min(MIN_STEP_MS / 60_000)
    .max(MAX_SESSION_MINUTES),
  intensity: z.number().min(0).max(100),
  personalMax: unit.optional(),
  device: z
    .object({
      maxBlocks: z.number().int().min(3).max(255),
      maxKeys: z.number().int().min(4).max(65_535),
      vibrationCap: unit,
      rotationCap: unit,
    })
    .optional(),
  rampMs: z.number().int().min(100).max(Math.min(10_000, MAX_KEY_DURATION_MS)).optional(),
});

export interface ResolvedOptions {
  durationMs: number;
  intensity: number;
  personalMax: number;
  device: DeviceLimits;
  rampMs: number;
}

/** Checks the options and fills in the defaults; throws MassagerError InvalidOption naming the bad one. */
export function resolveOptions(options: CompileOptions): ResolvedOptions {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "options";
    throw new MassagerError(ErrorCode.InvalidOption, `${where}: ${issue?.message ?? "invalid"}`, {
      hint: `minutes ${MIN_STEP_MS / 60_000}..${MAX_SESSION_MINUTES}, intensity 0..100, personalMax 0..1, rampMs 100..10000`,
    });
  }
  const value = parsed.data;
  return {
    durationMs: Math.round(value.minutes * 60_000),
    intensity: value.intensity,
    personalMax: value.personalMax ?? 1,
    device: value.device ?? { ...DEFAULT_DEVICE_LIMITS },
    rampMs: value.rampMs ?? DEFAULT_RAMP_MS,
  };
}
