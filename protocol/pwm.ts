/**
 * Level to PWM (PROTOCOL.md, "Playback"): an applied level drives its pin high for
 * round(|level| · steps / 1000) of the PWM period's `steps`, halves rounded up, in integers.
 * The sign of a rotation only picks the direction. The firmware (src/core/pwm.h) and the
 * Firmata bridge use the same arithmetic; test/vectors/pwm.json pins it.
 */
import { FULL_SCALE } from "./limits.ts";

/** Steps of `steps` a level (−1000..1000) keeps its pin high: 0 is always off, ±1000 always all of them. */
export function pwmSteps(level: number, steps: number): number {
  const magnitude = Math.min(Math.abs(Math.trunc(level)), FULL_SCALE);
  return Math.floor((magnitude * steps + FULL_SCALE / 2) / FULL_SCALE);
}
