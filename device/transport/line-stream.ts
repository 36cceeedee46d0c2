/**
 * The line framing of every byte-stream transport (serial, TCP), said once: frames go out as
 * latin1 lines ending in `\n`; lines come in cut at `\n`, latin1 (the protocol is ASCII, and
 * latin1 never turns a stray byte into a multi-byte sequence), empty ones skipped, one trailing
 * `\r` dropped; the stop byte is seen the moment its chunk arrives; a stream that
 * closes or fails by itself is reported once as `disconnect`, never after close(). A subclass
 * only opens and closes its stream.
 */
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";
import { transportLog } from "../log.ts";
import { lineAfterStopByte, STOP_BYTE_BUFFER } from "./stop-byte.ts";
import type { Transport, TransportEvents } from "./transport.ts";

export abstract class LineStreamTransport<S extends Duplex> extends EventEmitter<TransportEvents> implements Transport {
  private stream: S | undefined;
  private closing = false;
  /** The start of a line whose `\n` has not come yet (latin1). */
  private partial = "";

  /** `closedReason` says why the link is gone when the stream closes by itself. */
  constructor(
    readonly description: string,
    private readonly closedReason: string,
  ) {
    super();
  }

  /** Opens the stream (or adopts one already connected); rejects with a MassagerError naming the fix. */
  protected abstract openStream(): Promise<S>;

  /** Closes an open stream; resolves once it is closed. */
  protected abstract closeStream(stream: S): Promise<void>;

  get isOpen(): boolean {
    const stream = this.stream;
    return stream !== undefined && !stream.destroyed && !this.closing;
  }

  async open(): Promise<void> {
    const stream = await this.openStream();
    this.stream = stream;
    this.closing = false;
    this.partial = "";
    // The stop byte is seen the moment its chunk arrives, before any line the same chunk
    // completes (PROTOCOL.md, "The stop byte"). Lines are cut here rather than by a parser
    // stream piped behind: a Transform per chunk was most of what a controller spends on a
    // device's telemetry.
    if (!this.readDirectly(stream, this.onChunk)) stream.on("data", this.onChunk);
    // What is left when the stream ends is a line too (as the readline parser did on flush).
    stream.on("end", () => {
      const rest = this.partial;
      this.partial = "";
      if (rest !== "") this.emit("line", lineAfterStopByte(rest));
    });
    stream.on("close", () => this.lost(this.closedReason));
    stream.on("error", (error: Error) => this.lost(error.message));
    transportLog("%s: open", this.description);
  }

  send(line: string): Promise<void> {
    return this.write(`${line}\n`);
  }

  sendStopByte(): Promise<void> {
    const stream = this.stream;
    if (stream !== undefined && this.isOpen && this.writeStopByteNow(stream)) return Promise.resolve();
    return this.write(STOP_BYTE_BUFFER);
  }

  /**
   * Reads the stream's bytes into `onChunk` without the stream, where the subclass can (serial:
   * from the port's file descriptor, on the event loop's thread); false when it cannot, and the
   * stream's "data" events bring them.
   */
  protected readDirectly(_stream: S, _onChunk: (chunk: Buffer) => void): boolean {
    return false;
  }

  /**
   * Writes the stop byte at once, past the stream's queue, where the subclass can (serial: to the
   * port's file descriptor); false when it could not, and the stream's write takes it instead.
   */
  protected writeStopByteNow(_stream: S): boolean {
    return false;
  }

  async close(): Promise<void> {
    const stream = this.stream;
    const wasOpen = this.isOpen;
    this.closing = true;
    if (stream === undefined || stream.destroyed) return;
    await this.closeStream(stream);
    if (wasOpen) transportLog("%s: closed", this.description);
  }

  private write(data: string | Buffer): Promise<void> {
    const stream = this.stream;
    if (stream === undefined || !this.isOpen) {
      return Promise.reject(
        new MassagerError(ErrorCode.Disconnected, `${this.description}: cannot send, the link is not open`),
      );
    }
    return new Promise((resolve, reject) => {
      stream.write(data, "latin1", (error) =>
        error
          ? reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: write failed: ${error.message}`))
          : resolve(),
      );
    });
  }

  private readonly onChunk = (chunk: Buffer): void => {
    if (chunk.includes(STOP_BYTE)) this.emit("stopByte");
    this.cutLines(chunk.toString("latin1"));
  };

  /** Emits every line `text` completes (none that is empty); keeps the unfinished rest. */
  private cutLines(text: string): void {
    let start = 0;
    let end = text.indexOf("\n");
    if (end < 0) {
      this.partial += text;
      return;
    }
    let line = this.partial + text.slice(0, end);
    this.partial = "";
    for (;;) {
      if (line !== "") this.emit("line", lineAfterStopByte(line));
      start = end + 1;
      end = text.indexOf("\n", start);
      if (end < 0) break;
      line = text.slice(start, end);
    }
    this.partial = text.slice(start);
  }

  private lost(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    transportLog("%s: lost (%s)", this.description, reason);
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: ${reason}`));
  }
}
