/**
 * Easing curves in integer fixed point: progress and result are both 0..1024 (Q10).
 * Integer arithmetic with truncation toward zero, so the C++ firmware computes exactly
 * the same values (see PROTOCOL.md, "Playback").
 */
import type { Easing } from "./fields.ts";

export const Q = 1024;

/** round(1024 * (1 - cos(pi * k / 16)) / 2) for k = 0..16; `sine` interpolates linearly between them. */
const SINE_TABLE: readonly number[] = [
  0, 10, 39, 86, 150, 228, 316, 412, 512, 612, 708, 796, 874, 938, 985, 1014, 1024,
];

/** The eased fraction (0..1024) at progress `p` (0..1024). */
export function curve(ease: Easing, p: number): number {
  if (p >= Q) return Q;
  if (p <= 0) return ease === "step" ? Q : 0;
  switch (ease) {
    case "step":
      return Q;
    case "linear":
      return p;
    case "easeIn":
      return Math.trunc((p * p) / Q);
    case "easeOut":
      return Q - Math.trunc(((Q - p) * (Q - p)) / Q);
    case "easeInOut":
      return Math.trunc((p * p * (3 * Q - 2 * p)) / (Q * Q));
    case "sine": {
      const i = p >> 6;
      const low = SINE_TABLE[i] ?? Q;
      const high = SINE_TABLE[i + 1] ?? Q;
      return low + (((high - low) * (p & 63)) >> 6);
    }
  }
}

/** The level between `from` and `to` at progress `p` (0..1024), truncated toward zero like C. */
export function interpolate(from: number, to: number, ease: Easing, p: number): number {
  return from + Math.trunc(((to - from) * curve(ease, p)) / Q);
}
