/**
 * From a pattern's keyframes (levels 0..1 and -1..1) to wire keyframes (0..1000 and
 * -1000..1000): scaled by the intensity, then clamped to the step's caps.
 */
import type { WireKey } from "../../protocol/fields.ts";
import { FULL_SCALE } from "../../protocol/limits.ts";
import type { Keyframe, Pattern } from "../../protocol/pattern.ts";
import type { SessionCaps } from "../../protocol/session.ts";
import { patternCap } from "../intensity-cap.ts";
import type { ResolvedOptions } from "./options.ts";

/** The caps one pattern plays under: the lowest of its pressure's cap, the person's maximum and the device's cap. */
export function stepCaps(pattern: Pattern, options: ResolvedOptions): SessionCaps {
  const shared = patternCap(pattern.pressure, options.personalMax);
  return {
    vibration: Math.min(shared, options.device.vibrationCap),
    rotation: Math.min(shared, options.device.rotationCap),
  };
}

/** A cap 0..1 as the largest wire level it allows (rounded down, so the cap is never exceeded). */
function wireCap(cap: number): number {
  return Math.floor(cap * FULL_SCALE + 1e-9);
}

/** One level 0..1 (or -1..1) at `intensity` percent, as a wire integer within ±cap. */
export function wireLevel(level: number, intensity: number, cap: number): number {
  const limit = wireCap(cap);
  const raw = Math.round((level * intensity * FULL_SCALE) / 100);
  // `+ 0` turns -0 into 0, so a zero level reads the same in every direction.
  return Math.max(-limit, Math.min(limit, raw)) + 0;
}

/** A pattern track as wire keyframes. */
export function wireTrack(keyframes: readonly Keyframe[], intensity: number, cap: number): WireKey[] {
  return keyframes.map((key) => ({ dtMs: key.ms, value: wireLevel(key.to, intensity, cap), ease: key.ease }));
}
