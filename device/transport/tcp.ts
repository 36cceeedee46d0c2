/** A TCP transport (node:net), for a simulator in another process or on another host. */
import { EventEmitter } from "node:events";
import { createConnection, type Socket } from "node:net";
import { ReadlineParser } from "@serialport/parser-readline";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";
import { tcpOpenError } from "./open-errors.ts";
import { lineAfterStopByte, STOP_BYTE_BUFFER } from "./stop-byte.ts";
import type { Transport, TransportEvents } from "./transport.ts";

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** Give up connecting after this long, ms. Default 3000. */
  connectTimeoutMs?: number;
}

export class TcpTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;
  private socket: Socket | undefined;
  private closing = false;

  constructor(private readonly options: TcpTransportOptions) {
    super();
    this.description = `tcp:${options.host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.socket.destroyed && !this.closing;
  }

  /** Wraps a socket a server accepted (already connected); open() then only starts reading. */
  static accepted(socket: Socket): TcpTransport {
    const transport = new TcpTransport({ host: socket.remoteAddress ?? "client", port: socket.remotePort ?? 0 });
    transport.socket = socket;
    return transport;
  }

  async open(): Promise<void> {
    if (this.socket !== undefined && !this.socket.destroyed) {
      this.listen(this.socket);
      return;
    }
    const { host, port } = this.options;
    const socket = createConnection({ host, port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new MassagerError(ErrorCode.Timeout, `${this.description}: no connection within 3 s`, {
            hint: "check the host and port, and that the simulator runs",
          }),
        );
      }, this.options.connectTimeoutMs ?? 3000);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(tcpOpenError(host, port, error));
      });
    });
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    this.socket = socket;
    this.closing = false;
    socket.setNoDelay(true);
    // Before the parser's pipe: the stop byte acts before any line its chunk completes.
    socket.on("data", (chunk: Buffer) => {
      if (chunk.includes(STOP_BYTE)) this.emit("stopByte");
    });
    socket.pipe(new ReadlineParser({ delimiter: "\n", encoding: "latin1" })).on("data", (line: string) => {
      this.emit("line", lineAfterStopByte(line));
    });
    socket.on("error", () => {}); // followed by close, handled there
    socket.on("close", () => this.lost());
  }

  send(line: string): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || !this.isOpen) {
      return Promise.reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: not connected`));
    }
    return new Promise((resolve, reject) => {
      socket.write(`${line}\n`, "latin1", (error) =>
        error ? reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: ${error.message}`)) : resolve(),
      );
    });
  }

  sendStopByte(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || !this.isOpen) {
      return Promise.reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: not connected`));
    }
    return new Promise((resolve, reject) => {
      socket.write(STOP_BYTE_BUFFER, (error) =>
        error ? reject(new MassagerError(ErrorCode.Disconnected, `${this.description}: ${error.message}`)) : resolve(),
      );
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.end();
      socket.destroySoon();
      setTimeout(() => socket.destroy(), 200).unref();
    });
  }

  private lost(): void {
    if (this.closing) return;
    this.closing = true;
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: the connection closed`));
  }
}
