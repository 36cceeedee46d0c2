/**
 * Where a device core sends its applied levels: a recorder, a motor model, real pins (the
 * Firmata bridge), or several at once. Called only when a level changes.
 */
import type { Levels } from "../../protocol/program.ts";

export interface OutputSink {
  /** The applied levels (wire units: vibration 0..1000, rotation -1000..1000) from device time `tMs` on. */
  apply(levels: Levels, tMs: number): void;
  /** Called on every device tick, for sinks that model something over time. */
  tick?(tMs: number): void;
}

/** Sends every change to each sink in turn. */
export function fanOut(...sinks: OutputSink[]): OutputSink {
  return {
    apply(levels, tMs) {
      for (const sink of sinks) sink.apply(levels, tMs);
    },
    tick(tMs) {
      for (const sink of sinks) sink.tick?.(tMs);
    },
  };
}
