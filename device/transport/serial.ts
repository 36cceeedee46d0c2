/**
 * A serial port transport: `serialport`'s stream under the shared line framing (line-stream.ts).
 * The port binding is injected, so tests run the same code over `@serialport/binding-mock`.
 */
import { SerialPortStream } from "@serialport/stream";
import { SerialPort } from "serialport";
import { LineStreamTransport } from "./line-stream.ts";
import { serialOpenError } from "./open-errors.ts";

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
    const port = new SerialPortStream({
      binding: this.options.binding ?? SerialPort.binding,
      path: this.options.path,
      baudRate: this.options.baudRate ?? 115_200,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(serialOpenError(this.options.path, error)) : resolve()));
    });
    return port;
  }

  protected async closeStream(port: SerialPortStream): Promise<void> {
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
