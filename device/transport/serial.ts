/**
 * A serial port transport: `serialport` with the readline parser, lines in latin1 (the
 * protocol is ASCII; latin1 never turns a stray byte into a multi-byte sequence). The port
 * binding is injected, so tests run the same code over `@serialport/binding-mock`.
 */
import { EventEmitter } from "node:events";
import { ReadlineParser } from "@serialport/parser-readline";
import { SerialPortStream } from "@serialport/stream";
import { SerialPort } from "serialport";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";
import { serialOpenError } from "./open-errors.ts";
import { lineAfterStopByte, STOP_BYTE_BUFFER } from "./stop-byte.ts";
import type { Transport, TransportEvents } from "./transport.ts";

/** A serialport binding: the native one, or `@serialport/binding-mock` in tests. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]["binding"];

export interface SerialTransportOptions {
  path: string;
  /** Default 115200 (PROTOCOL.md). */
  baudRate?: number;
  /** Default: the platform's native binding. */
  binding?: SerialBinding;
}

export class SerialTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;
  private port: SerialPortStream | undefined;
  private closing = false;

  constructor(private readonly options: SerialTransportOptions) {
    super();
    this.description = `serial:${options.path}`;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    const port = new SerialPortStream({
      binding: this.options.binding ?? SerialPort.binding,
      path: this.options.path,
      baudRate: this.options.baudRate ?? 115_200,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(serialOpenError(this.options.path, error)) : resolve()));
    });
    this.port = port;
    this.closing = false;
    // Registered before the parser's pipe, so the stop byte is seen the moment its chunk arrives,
    // before any line the same chunk completes (PROTOCOL.md, "The stop byte").
    port.on("data", (chunk: Buffer) => {
      if (chunk.includes(STOP_BYTE)) this.emit("stopByte");
    });
    const parser = port.pipe(new ReadlineParser({ delimiter: "\n", encoding: "latin1" }));
    parser.on("data", (line: string) => this.emit("line", lineAfterStopByte(line)));
    port.on("close", () => this.lost("the port closed (cable unplugged or device reset)"));
    port.on("error", (error: Error) => this.lost(error.message));
  }

  send(line: string): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      return Promise.reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: the port is not open`));
    }
    return new Promise((resolve, reject) => {
      port.write(`${line}\n`, "latin1", (error) =>
        error
          ? reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: write failed: ${error.message}`))
          : resolve(),
      );
    });
  }

  sendStopByte(): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      return Promise.reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: the port is not open`));
    }
    return new Promise((resolve, reject) => {
      port.write(STOP_BYTE_BUFFER, (error) =>
        error
          ? reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: write failed: ${error.message}`))
          : resolve(),
      );
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    this.closing = true;
    if (port === undefined || !port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private lost(reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: ${reason}`));
  }
}
