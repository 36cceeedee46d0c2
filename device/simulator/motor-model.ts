/**
 * A motor's mechanical response: the shaft speed follows the applied PWM level with a
 * first-order lag (time constant `tauMs`), so a model of the head spins down through zero
 * before turning the other way. For realism in displays and benches; safety checks use the
 * applied levels, which is what the firmware controls.
 */
import type { Levels } from "../../protocol/program.ts";
import type { OutputSink } from "../reference-device/output-sink.ts";

export interface MotorModelOptions {
  /** Vibration motor time constant, ms. Default 60. */
  vibrationTauMs?: number;
  /** Rotating head time constant, ms (heavier). Default 150. */
  rotationTauMs?: number;
}

export class MotorModel implements OutputSink {
  private readonly applied: Levels = { vib: 0, rot: 0 };
  private readonly speed = { vib: 0, rot: 0 };
  private lastMs: number | undefined;
  private readonly vibTau: number;
  private readonly rotTau: number;
  /** exp(-dt/tau) for the last dt seen: ticks are regular, so this is almost always a hit. */
  private readonly cache = { dt: -1, vib: 0, rot: 0 };

  constructor(options: MotorModelOptions = {}) {
    this.vibTau = options.vibrationTauMs ?? 60;
    this.rotTau = options.rotationTauMs ?? 150;
  }

  /** Mechanical speeds in wire units (vibration 0..1000, rotation -1000..1000), not rounded. */
  get mechanical(): Readonly<{ vib: number; rot: number }> {
    return this.speed;
  }

  apply(levels: Levels, tMs: number): void {
    this.tick(tMs);
    this.applied.vib = levels.vib;
    this.applied.rot = levels.rot;
  }

  tick(tMs: number): void {
    const dt = this.lastMs === undefined ? 0 : tMs - this.lastMs;
    this.lastMs = tMs;
    if (dt <= 0) return;
    const cache = this.cache;
    if (cache.dt !== dt) {
      cache.dt = dt;
      cache.vib = 1 - Math.exp(-dt / this.vibTau);
      cache.rot = 1 - Math.exp(-dt / this.rotTau);
    }
    this.speed.vib += (this.applied.vib - this.speed.vib) * cache.vib;
    this.speed.rot += (this.applied.rot - this.speed.rot) * cache.rot;
  }
}
