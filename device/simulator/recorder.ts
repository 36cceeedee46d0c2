/**
 * The change log of applied outputs in device time: one row per change, what `--trace`
 * writes and what the tests compare against the program.
 */
import type { Levels } from "../../protocol/program.ts";
import type { OutputSink } from "../reference-device/output-sink.ts";

export interface OutputChange {
  /** Device time, ms since boot. */
  tMs: number;
  vib: number;
  rot: number;
}

export type ChangeListener = (change: OutputChange) => void;

export class OutputRecorder implements OutputSink {
  readonly changes: OutputChange[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private last: OutputChange | undefined;

  /** @param keep false: only notify listeners, keep nothing in memory (long-running simulators). */
  constructor(private readonly keep = true) {}

  apply(levels: Levels, tMs: number): void {
    const last = this.last;
    if (last && last.vib === levels.vib && last.rot === levels.rot) return;
    if (last && !this.keep && this.listeners.size === 0) {
      // Nobody holds the previous change: write over it (a long session in virtual time
      // changes its outputs hundreds of thousands of times).
      last.tMs = tMs;
      last.vib = levels.vib;
      last.rot = levels.rot;
      return;
    }
    const change = { tMs, vib: levels.vib, rot: levels.rot };
    this.last = change;
    if (this.keep) this.changes.push(change);
    for (const listener of this.listeners) listener(change);
  }

  /** The last change, kept even when the log is not (then overwritten by the next one unless someone listens: copy what you keep). */
  get lastChange(): OutputChange | undefined {
    return this.last;
  }

  /** The last applied levels (zero before the first change). */
  get current(): Levels {
    return { vib: this.last?.vib ?? 0, rot: this.last?.rot ?? 0 };
  }

  /** The applied levels at device time `tMs`, from the log. */
  levelsAt(tMs: number): Levels {
    let found: OutputChange | undefined;
    for (const change of this.changes) {
      if (change.tMs > tMs) break;
      found = change;
    }
    return { vib: found?.vib ?? 0, rot: found?.rot ?? 0 };
  }

  /** Calls `listener` on every change from now on; returns the function that stops it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
