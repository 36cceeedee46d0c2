/**
 * Cuts a byte stream into lines at `\n`, one char per byte (latin1, so a stray byte never
 * becomes a multi-byte sequence), a `\r` before the `\n` dropped. The framing of
 * `ReadlineParser({ delimiter: "\n", encoding: "latin1" })` without a stream around it: a
 * transport reading a few dozen bytes at a time pays for no Transform, no pipe, no pushes.
 * Like that parser it keeps a partial line however long it gets (the codec refuses an
 * overlong frame, 101, once its `\n` arrives) and never emits an empty line.
 */
export class LineSplitter {
  private partial = "";

  /** Adds `bytes` (not kept: the caller may reuse the buffer) and calls `onLine` for each line they complete. */
  push(bytes: Buffer, onLine: (line: string) => void): void {
    const text = this.partial + bytes.toString("latin1");
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      if (end > start) {
        const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
        onLine(line);
      }
      start = end + 1;
    }
    this.partial = start === 0 ? text : text.slice(start);
  }

  /** Forgets a partial line. */
  reset(): void {
    this.partial = "";
  }
}
