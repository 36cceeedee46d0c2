/** A TCP transport (node:net) under the shared line framing (line-stream.ts), for a simulator in another process or on another host. */
import { createConnection, type Socket } from "node:net";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { LineStreamTransport } from "./line-stream.ts";
import { tcpOpenError } from "./open-errors.ts";

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** Give up connecting after this long, ms. Default 3000. */
  connectTimeoutMs?: number;
}

export class TcpTransport extends LineStreamTransport<Socket> {
  /** A socket a server accepted: open() adopts it instead of connecting. */
  private acceptedSocket: Socket | undefined;

  constructor(private readonly options: TcpTransportOptions) {
    super(`tcp:${options.host}:${options.port}`, "the connection closed");
  }

  /** Wraps a socket a server accepted (already connected); open() then only starts reading. */
  static accepted(socket: Socket): TcpTransport {
    const transport = new TcpTransport({ host: socket.remoteAddress ?? "client", port: socket.remotePort ?? 0 });
    transport.acceptedSocket = socket;
    return transport;
  }

  protected async openStream(): Promise<Socket> {
    const accepted = this.acceptedSocket;
    if (accepted !== undefined && !accepted.destroyed) {
      accepted.setNoDelay(true);
      return accepted;
    }
    const { host, port } = this.options;
    const socket = createConnection({ host, port });
    socket.setNoDelay(true);
    const timeoutMs = this.options.connectTimeoutMs ?? 3000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new MassagerError(ErrorCode.Timeout, `${this.description}: no connection within ${timeoutMs / 1000} s`, {
            hint: "check the host and port, and that the simulator runs",
          }),
        );
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(tcpOpenError(host, port, error));
      });
    });
    return socket;
  }

  protected async closeStream(socket: Socket): Promise<void> {
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.end();
      socket.destroySoon();
      setTimeout(() => socket.destroy(), 200).unref();
    });
  }
}
