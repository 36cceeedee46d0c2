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
  // Plain number fields of this class, not { vib, rot } objects: V8 keeps a field that only ever
  // holds numbers unboxed, while a fraction stored into an object shaped like every other Levels
  // is boxed anew on each store (a heap number every tick of a long session in virtual time).
  private appliedVib = 0;
  private appliedRot = 0;
  private speedVib = 0;
  private speedRot = 0;
  private lastMs = -1;
  private readonly vibTau: number;
  private readonly rotTau: number;
  /** 1 - exp(-dt/tau) for the last dt seen: ticks are regular, so this is almost always a hit. */
  private cacheDt = -1;
  private cacheVib = 0;
  private cacheRot = 0;

  constructor(options: MotorModelOptions = {}) {
    this.vibTau = options.vibrationTauMs ?? 60;
    this.rotTau = options.rotationTauMs ?? 150;
  }

  /** Mechanical speeds in wire units (vibration 0..1000, rotation -1000..1000), not rounded. */
  get mechanical(): Readonly<{ vib: number; rot: number }> {
    return { vib: this.speedVib, rot: this.speedRot };
  }

  apply(levels: Levels, tMs: number): void {
    this.tick(tMs);
    this.appliedVib = levels.vib;
    this.appliedRot = levels.rot;
  }

  tick(tMs: number): void {
    // Device times are never negative: -1 is "no tick yet".
    const dt = this.lastMs < 0 ? 0 : tMs - this.lastMs;
    this.lastMs = tMs;
    if (dt <= 0) return;
    if (this.cacheDt !== dt) {
      this.cacheDt = dt;
      this.cacheVib = 1 - Math.exp(-dt / this.vibTau);
      this.cacheRot = 1 - Math.exp(-dt / this.rotTau);
    }
    this.speedVib += (this.appliedVib - this.speedVib) * this.cacheVib;
    this.speedRot += (this.appliedRot - this.speedRot) * this.cacheRot;
  }
}
