/**
 * Writes a recorder's changes as CSV, `t_ms,vibration,rotation` (vibration 0..1, rotation
 * -1..1, as applied by the device), one row per change. Rows are buffered and written every
 * `flushMs` (and at close), so a long-running simulator's trace is on disk as it goes.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { FULL_SCALE } from "../../protocol/limits.ts";
import type { OutputChange, OutputRecorder } from "./recorder.ts";

const TRACE_HEADER = "t_ms,vibration,rotation";

export class TraceFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private bytes = 0;
  private readonly timer: NodeJS.Timeout;
  private detach: (() => void) | undefined;
  private closed = false;

  /** Opens (truncates) `path` and writes the header. Throws FileUnreadable when it cannot be written. */
  constructor(
    readonly path: string,
    flushMs = 200,
  ) {
    try {
      this.fd = openSync(path, "w");
    } catch (error) {
      throw new MassagerError(
        ErrorCode.FileUnreadable,
        `--trace ${path}: cannot write there (${(error as Error).message})`,
        {
          hint: "give a path in a folder you can write to",
          cause: error,
        },
      );
    }
    writeSync(this.fd, `${TRACE_HEADER}\n`);
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  /** Writes every change `recorder` reports from now on (the ones it already holds first). */
  follow(recorder: OutputRecorder): void {
    const held = recorder.changes.length > 0 ? recorder.changes : [recorder.lastChange ?? { tMs: 0, vib: 0, rot: 0 }];
    for (const change of held) this.write(change);
    this.detach = recorder.onChange((change) => this.write(change));
  }

  write(change: OutputChange): void {
    if (this.closed) return;
    const row = `${change.tMs},${level(change.vib)},${level(change.rot)}\n`;
    this.buffer.push(row);
    this.bytes += row.length;
    if (this.bytes >= 65_536) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0 || this.closed) return;
    writeSync(this.fd, this.buffer.join(""));
    this.buffer = [];
    this.bytes = 0;
  }

  close(): void {
    if (this.closed) return;
    this.detach?.();
    this.flush();
    this.closed = true;
    clearInterval(this.timer);
    closeSync(this.fd);
  }
}

/** A wire level as a fraction: 512 → 0.512, -1000 → -1. */
function level(permille: number): string {
  return String(permille / FULL_SCALE);
}
