/**
 * A serial port transport: `serialport`'s stream under the shared line framing (line-stream.ts).
 * The port binding is injected, so tests run the same code over `@serialport/binding-mock`.
 */
import { writeSync } from "node:fs";
import type { SerialPortStream } from "@serialport/stream";
import { LineStreamTransport } from "./line-stream.ts";
import { serialOpenError } from "./open-errors.ts";
import { ioOnLoopThread, readOnLoopThread } from "./serial-io.ts";
import { STOP_BYTE_BUFFER } from "./stop-byte.ts";

/** A serialport binding: the native one, or `@serialport/binding-mock` in tests. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]["binding"];

export interface SerialTransportOptions {
  path: string;
  /** Default 115200 (PROTOCOL.md). */
  baudRate?: number;
  /** Default: the platform's native binding. */
  binding?: SerialBinding;
}

export class SerialTransport extends LineStreamTransport<SerialPortStream> {
  constructor(private readonly options: SerialTransportOptions) {
    super(`serial:${options.path}`, "the port closed (cable unplugged or device reset)");
  }

  protected async openStream(): Promise<SerialPortStream> {
    // Loaded on first use: serialport and its native binding are most of what `play --device sim`
    // would otherwise load at start-up for nothing.
    const [{ SerialPortStream }, { SerialPort }] = await Promise.all([
      import("@serialport/stream"),
      import("serialport"),
    ]);
    const port = new SerialPortStream({
      binding: this.options.binding ?? SerialPort.binding,
      path: this.options.path,
      baudRate: this.options.baudRate ?? 115_200,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(serialOpenError(this.options.path, error)) : resolve()));
    });
    ioOnLoopThread(port.port);
    return port;
  }

  /** Reads the port's file descriptor on the loop's thread (serial-io.ts); a read error closes the port, which reports it lost. */
  protected override readDirectly(port: SerialPortStream, onChunk: (chunk: Buffer) => void): boolean {
    return readOnLoopThread(port.port, onChunk, () => {
      if (port.isOpen) port.close(() => {});
    });
  }

  /**
   * The stop byte straight to the port's file descriptor, now: not behind a frame the stream still
   * holds, nor through the thread pool a stream write takes (the emergency stop must be first). A
   * frame being written at that moment may be cut by it, which the device drops, as it should.
   */
  protected override writeStopByteNow(port: SerialPortStream): boolean {
    const fd = (port.port as { fd?: unknown } | undefined)?.fd;
    if (typeof fd !== "number") return false; // the mock binding: the stream's write
    try {
      return writeSync(fd, STOP_BYTE_BUFFER) === 1;
    } catch {
      return false; // EAGAIN (the output buffer is full) and the like: the stream's write waits its turn
    }
  }

  protected async closeStream(port: SerialPortStream): Promise<void> {
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
