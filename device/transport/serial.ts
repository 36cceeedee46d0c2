/**
 * A serial port transport: a `serialport` binding's port, read and written directly, lines in
 * latin1 (the protocol is ASCII; latin1 never turns a stray byte into a multi-byte sequence).
 * The port binding is injected, so tests run the same code over `@serialport/binding-mock`.
 *
 *   binding port ──read()──► LineSplitter ──► "line"          send() ──► write() (one at a time)
 *
 * No SerialPortStream and no ReadlineParser in between: a few dozen bytes per frame do not need
 * a Duplex, a pipe and a Transform, and on a mostly idle link their cost per wake-up is most of
 * what the controller spends (test/bench/controller.bench.ts). The framing is the parser's.
 */
import { EventEmitter } from "node:events";
import { SerialPort } from "serialport";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { LineSplitter } from "./line-splitter.ts";
import { serialOpenError } from "./open-errors.ts";
import { nonBlockingBinding, type SerialBinding } from "./serial-binding.ts";
import type { Transport, TransportEvents } from "./transport.ts";

export type { SerialBinding } from "./serial-binding.ts";

type BindingPort = Awaited<ReturnType<SerialBinding["open"]>>;

/** The platform's native binding, reading and writing without the thread pool where it can (serial-binding.ts). */
const NATIVE_BINDING = nonBlockingBinding(SerialPort.binding);

/** Bytes asked of the port per read: far more than a frame, so a burst of frames is one read. */
const READ_SIZE = 4096;

export interface SerialTransportOptions {
  path: string;
  /** Default 115200 (PROTOCOL.md). */
  baudRate?: number;
  /** Default: the platform's native binding (with the leaner read and write path of serial-binding.ts). */
  binding?: SerialBinding;
}

export class SerialTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;
  private port: BindingPort | undefined;
  private closing = false;
  /** The write in progress: a binding port takes one write at a time. */
  private writing: Promise<void> = Promise.resolve();
  private readonly emitLine = (line: string) => this.emit("line", line);

  constructor(private readonly options: SerialTransportOptions) {
    super();
    this.description = `serial:${options.path}`;
  }

  get isOpen(): boolean {
    return !this.closing && (this.port?.isOpen ?? false);
  }

  async open(): Promise<void> {
    const binding = this.options.binding ?? NATIVE_BINDING;
    let port: BindingPort;
    try {
      port = await binding.open({ path: this.options.path, baudRate: this.options.baudRate ?? 115_200 });
    } catch (error) {
      throw serialOpenError(this.options.path, error);
    }
    this.port = port;
    this.closing = false;
    this.writing = Promise.resolve();
    void this.readLines(port);
  }

  send(line: string): Promise<void> {
    const port = this.port;
    if (port === undefined || !this.isOpen) {
      return Promise.reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: the port is not open`));
    }
    const bytes = Buffer.from(`${line}\n`, "latin1");
    const write = this.writing.then(() => port.write(bytes));
    this.writing = write.catch(() => {});
    return write.catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      if (!isCanceled(error)) void this.lost(port);
      throw new MassagerError(ErrorCode.Disconnected, `${this.description}: write failed: ${text}`);
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    this.closing = true;
    if (port === undefined || !port.isOpen) return;
    await port.close().catch(() => {});
  }

  /** Reads until the port closes; a read that fails for any other reason is a lost port. */
  private async readLines(port: BindingPort): Promise<void> {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    const lines = new LineSplitter();
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await port.read(buffer, 0, READ_SIZE));
      } catch (error) {
        if (!isCanceled(error)) await this.lost(port);
        return;
      }
      if (port !== this.port) return;
      // A binding reads at least one byte; none is the end of the stream (the device is gone).
      if (bytesRead === 0) {
        await this.lost(port);
        return;
      }
      lines.push(buffer.subarray(0, bytesRead), this.emitLine);
    }
  }

  /** The port went away under us: release it, then say so once (never after close()). */
  private async lost(port: BindingPort): Promise<void> {
    if (this.closing || port !== this.port) return;
    this.closing = true;
    if (port.isOpen) await port.close().catch(() => {});
    this.emit(
      "disconnect",
      new MassagerError(
        ErrorCode.Disconnected,
        `${this.description}: the port closed (cable unplugged or device reset)`,
      ),
    );
  }
}

/** The binding's mark of an operation ended by close(), not by a failure. */
function isCanceled(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { canceled?: unknown }).canceled === true;
}
