/**
 * The slew limit (PROTOCOL.md, safety rule 4): an applied level moves by at most full scale
 * (1000) per `slewMs`. Integer steps; the fraction of a step a tick earns is carried to the
 * next tick, so the rate does not depend on the tick length. A rotation reversal is one
 * signed ramp, so it passes through zero.
 */
import type { Levels } from "../../protocol/program.ts";

const FULL_SCALE = 1000;

export class SlewLimiter {
  /** Carried budget in units of 1/slewMs of a level step. */
  private carry = 0;

  constructor(private readonly slewMs: number) {}

  /** The next applied levels after `dtMs` of moving from `applied` towards `target`. */
  step(applied: Levels, target: Levels, dtMs: number): Levels {
    if (this.slewMs <= 0) return { vib: target.vib, rot: target.rot };
    const budget = this.carry + FULL_SCALE * Math.max(0, dtMs);
    const maxStep = Math.floor(budget / this.slewMs);
    this.carry = budget - maxStep * this.slewMs;
    return { vib: towards(applied.vib, target.vib, maxStep), rot: towards(applied.rot, target.rot, maxStep) };
  }
}

function towards(from: number, to: number, maxStep: number): number {
  if (to > from) return Math.min(to, from + maxStep);
  return Math.max(to, from - maxStep);
}
