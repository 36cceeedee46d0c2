/**
 * Cuts a received byte stream into lines, acting on the stop byte the moment it arrives
 * (PROTOCOL.md, "The stop byte"):
 *
 *   "SET 4 5" 0x18 "00 0*1C\nPING 5*.." ──► stop()  (the cut "SET 4 5" is dropped)
 *                                         ──► line("00 0*1C")  line("PING 5*..")
 *
 * Chunks are strings with one char per byte (latin1), as every transport carries them. One
 * Every `\r` right before a `\n` is removed: it belongs to the line ending.
 */
import { STOP_BYTE_CHAR } from "./limits.ts";

export interface LineFramerHandlers {
  /** One complete line, without its `\n` and the `\r`s before it. */
  line: (line: string) => void;
  /** A stop byte arrived. Called before any line that follows it in the same chunk. */
  stop: () => void;
}

export class LineFramer {
  private partial = "";

  constructor(private readonly handlers: LineFramerHandlers) {}

  /** Takes the next bytes of the stream. */
  push(chunk: string): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const char = chunk[i];
      if (char === STOP_BYTE_CHAR) {
        this.partial = ""; // the line the byte cut is dropped, whatever it held
        start = i + 1;
        this.handlers.stop();
      } else if (char === "\n") {
        const line = this.partial + chunk.slice(start, i);
        this.partial = "";
        start = i + 1;
        let end = line.length;
        while (end > 0 && line.charCodeAt(end - 1) === 13) end--; // every \r before \n is line ending
        this.handlers.line(line.slice(0, end));
      }
    }
    this.partial += chunk.slice(start);
  }

  /** Forgets a partial line (a new connection starts clean). */
  reset(): void {
    this.partial = "";
  }
}

/**
 * Splits one already-cut line at its stop bytes, for code that receives whole lines: whether it
 * holds a stop byte, and what is left to read as a line (the bytes after the last one).
 */
export function splitAtStopByte(line: string): { stop: boolean; rest: string } {
  const last = line.lastIndexOf(STOP_BYTE_CHAR);
  return last < 0 ? { stop: false, rest: line } : { stop: true, rest: line.slice(last + 1) };
}
