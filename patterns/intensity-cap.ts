/**
 * The highest session intensity a pattern offers the person, in percent: their own maximum,
 * and its pressure's cap (PRESSURE_CAPS, which the compiler also clamps each step's levels to).
 * Renderer-safe.
 */
import { PRESSURE_CAPS, type Pressure } from "../protocol/pattern.ts";

/** The share of full scale a pattern may reach: its pressure's cap, or the person's maximum (0..1) if lower. */
export function patternCap(pressure: Pressure, personalMax: number): number {
  return Math.min(PRESSURE_CAPS[pressure], personalMax);
}

/** A pressure's cap in percent: light 60, medium 80, firm 100. */
export function pressureCapPercent(pressure: Pressure): number {
  return Math.round(PRESSURE_CAPS[pressure] * 100);
}

/** The lower of the person's maximum intensity (percent) and the pressure's cap. */
export function intensityCap(pressure: Pressure, personalMaxPercent: number): number {
  return Math.round(patternCap(pressure, personalMaxPercent / 100) * 100);
}
