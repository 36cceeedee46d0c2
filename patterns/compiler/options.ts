/**
 * What a session is compiled against, with units, ranges and defaults in one place.
 * Checked with zod so a bad option becomes one readable InvalidOption error.
 */
import { z } from "zod";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { MAX_KEY_DURATION_MS } from "../../protocol/limits.ts";

/**
 * The program size and output caps of the device a session is compiled for: DeviceInfo's. With
 * `gain` (protocol 1.1) the program is compiled at 100 % intensity (still within every cap) and
 * the intensity is sent as the device's GAIN, so it can change while the session plays. Default
 * false: the intensity is baked into the levels.
 */
export type DeviceLimits = Pick<DeviceInfo, "maxBlocks" | "maxKeys" | "vibrationCap" | "rotationCap"> &
  Partial<Pick<DeviceInfo, "gain">>;

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
const MAX_SESSION_MINUTES = 1440;

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
  /**
   * A short, gentle double pulse of the vibration motor at each step change, compiled into the
   * program, so the person feels the step change with eyes closed. Default true.
   */
  stepCue?: boolean;
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
      gain: z.boolean().optional(),
    })
    .optional(),
  rampMs: z.number().int().min(100).max(Math.min(10_000, MAX_KEY_DURATION_MS)).optional(),
  stepCue: z.boolean().optional(),
});

export interface ResolvedOptions {
  durationMs: number;
  intensity: number;
  /** The intensity the levels are compiled at: 100 when the device applies `intensity` as its gain. */
  levelIntensity: number;
  stepCue: boolean;
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
      hint: `minutes ${MIN_STEP_MS / 60_000}..${MAX_SESSION_MINUTES}, intensity 0..100, personalMax 0..1, rampMs 100..10000, stepCue true or false`,
    });
  }
  const value = parsed.data;
  return {
    durationMs: Math.round(value.minutes * 60_000),
    intensity: value.intensity,
    levelIntensity: value.device?.gain ? 100 : value.intensity,
    stepCue: value.stepCue ?? true,
    personalMax: value.personalMax ?? 1,
    device: value.device ? deviceLimits(value.device) : { ...DEFAULT_DEVICE_LIMITS },
    rampMs: value.rampMs ?? DEFAULT_RAMP_MS,
  };
}

/** The parsed device limits without an explicit `gain: undefined` (exactOptionalPropertyTypes). */
function deviceLimits(device: z.output<typeof OptionsSchema>["device"] & object): DeviceLimits {
  const { gain, ...limits } = device;
  return gain === undefined ? limits : { ...limits, gain };
}
