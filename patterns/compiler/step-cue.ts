/**
 * The step cue (issue 12, "a cue you feel"): at each step change the vibration motor drops to
 * zero, then gives two short, gentle pulses, before the new step's transition begins. It is part
 * of the program, so it plays with the screen off and from `massager play` alike.
 *
 *   level ┐                 ╱╲    ╱╲
 *         └──── drop ──── ╱    ╲╱    ╲ ──── transition to the new step ────
 *         0    400 ms        550   700   850  1000 ms
 *
 * Within every rule the rest of the program keeps: the pulses reach CUE_LEVEL at the session's
 * level intensity, never above the new step's vibration cap, and every segment changes no faster
 * than the reference firmware's slew limit (full scale in 400 ms), so the device follows it exactly.
 */
import type { WireKey } from "../../protocol/fields.ts";
import { wireLevel } from "./levels.ts";

/** The pulses' height, 0..1 of full scale, before the intensity and the caps. Gentle. */
export const CUE_LEVEL = 0.35;
/** From whatever the previous step played down to zero: full scale at the slew limit's rate. */
const CUE_DROP_MS = 400;
/** Each rise and each fall of a pulse. */
const CUE_EDGE_MS = 150;
/** The whole cue after a step that played: the drop and two pulses. */
export const CUE_MS = CUE_DROP_MS + 4 * CUE_EDGE_MS;

/** The cue's pulse height as a wire level (0: nothing to feel, no cue). */
export function cueLevel(intensity: number, vibrationCap: number): number {
  return wireLevel(CUE_LEVEL, intensity, vibrationCap);
}

/**
 * The cue's vibration keyframes and how long they take. `fromZero`: the program starts here (a
 * chunk's first step), the level is already zero and the drop is left out.
 */
export function cueKeys(level: number, fromZero: boolean): { keys: WireKey[]; durationMs: number } {
  const pulse = (value: number): WireKey => ({ dtMs: CUE_EDGE_MS, value, ease: "linear" });
  const pulses = [pulse(level), pulse(0), pulse(level), pulse(0)];
  if (fromZero) return { keys: pulses, durationMs: 4 * CUE_EDGE_MS };
  return { keys: [{ dtMs: CUE_DROP_MS, value: 0, ease: "linear" }, ...pulses], durationMs: CUE_MS };
}
