/**
 * The slew limit (PROTOCOL.md, safety rule 4): an applied level moves by at most full scale
 * (1000) per `slewMs`. Integer steps; the fraction of a step a tick earns is carried to the
 * next tick, so the rate does not depend on the tick length. A rotation reversal is one
 * signed ramp, so it passes through zero.
 */
import { FULL_SCALE } from "../../protocol/limits.ts";
import type { Levels } from "../../protocol/program.ts";

export class SlewLimiter {
  /** Carried budget in units of 1/slewMs of a level step. */
  private carry = 0;

  constructor(private readonly slewMs: number) {}

  /**
   * The next applied levels after `dtMs` of moving from `applied` towards `target`, written to
   * `out` (a control loop reuses one object) or to a new object.
   */
  step(applied: Levels, target: Levels, dtMs: number, out: Levels = { vib: 0, rot: 0 }): Levels {
    if (this.slewMs <= 0) {
      out.vib = target.vib;
      out.rot = target.rot;
      return out;
    }
    const budget = this.carry + FULL_SCALE * Math.max(0, dtMs);
    const maxStep = Math.floor(budget / this.slewMs);
    this.carry = budget - maxStep * this.slewMs;
    out.vib = towards(applied.vib, target.vib, maxStep);
    out.rot = towards(applied.rot, target.rot, maxStep);
    return out;
  }

  /** Milliseconds (at least 1) until the limit lets a level move by `distance`, from the carried budget. */
  msToMove(distance: number): number {
    if (this.slewMs <= 0 || distance <= 0) return 1;
    return Math.max(1, Math.ceil((distance * this.slewMs - this.carry) / FULL_SCALE));
  }
}

function towards(from: number, to: number, maxStep: number): number {
  if (to > from) return Math.min(to, from + maxStep);
  return Math.max(to, from - maxStep);
}
