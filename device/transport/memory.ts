/**
 * Two connected in-memory transports: what one end sends, the other receives as a line.
 * Delivery goes through the injected clock (after `latencyMs`, or deferred when 0), so it
 * works in virtual time and never re-enters the sender.
 */
import { EventEmitter } from "node:events";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Clock } from "../clock.ts";
import type { Transport, TransportEvents } from "./transport.ts";

export interface MemoryPairOptions {
  clock: Clock;
  /** One-way delay of every line, ms. Default 0 (delivered after the current job). */
  latencyMs?: number;
  /** Names the host end in messages. Default `sim`. */
  description?: string;
}

/** One end of an in-memory pair. */
export class MemoryTransport extends EventEmitter<TransportEvents> implements Transport {
  peer: MemoryTransport | undefined;
  private open_ = false;
  private closed = false;

  constructor(
    readonly description: string,
    private readonly clock: Clock,
    private readonly latencyMs: number,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.closed) throw new MassagerError(ErrorCode.Disconnected, `${this.description}: the link was closed`);
    this.open_ = true;
  }

  /** Not async: one settled promise for every line sent (a session in virtual time sends ~100 000). */
  send(line: string): Promise<void> {
    if (!this.open_) {
      return Promise.reject(
        new MassagerError(ErrorCode.Disconnected, `${this.description}: cannot send, the link is not open`),
      );
    }
    const peer = this.peer;
    if (peer === undefined) return SENT;
    // A bound function, not an arrow: tsx names every closure it creates at run time, and this runs per line.
    const deliver = peer.receive.bind(peer, line);
    if (this.latencyMs > 0) this.clock.setTimeout(deliver, this.latencyMs);
    else this.clock.defer(deliver);
    return SENT;
  }

  /** The stop byte travels like a line (same latency, same order) and arrives as `stopByte`. */
  async sendStopByte(): Promise<void> {
    if (!this.open_) {
      throw new MassagerError(ErrorCode.Disconnected, `${this.description}: cannot send, the link is not open`);
    }
    const peer = this.peer;
    if (peer === undefined) return;
    const deliver = peer.receiveStopByte.bind(peer);
    if (this.latencyMs > 0) this.clock.setTimeout(deliver, this.latencyMs);
    else this.clock.defer(deliver);
  }

  async close(): Promise<void> {
    this.open_ = false;
    this.closed = true;
  }

  /** Cuts the link as an unplugged cable would: both ends see `disconnect` (unless closed). */
  sever(reason = "the in-memory link was cut"): void {
    for (const end of [this, this.peer]) {
      if (end === undefined || !end.open_) continue;
      end.open_ = false;
      end.closed = true;
      end.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${end.description}: ${reason}`));
    }
  }

  private receive(line: string): void {
    if (this.open_) this.emit("line", line);
  }

  private receiveStopByte(): void {
    if (this.open_) this.emit("stopByte");
  }
}

const SENT: Promise<void> = Promise.resolve();

/** Makes a connected pair: `host` for the controller, `device` for the simulator. */
export function createMemoryPair(options: MemoryPairOptions): { host: MemoryTransport; device: MemoryTransport } {
  const latency = options.latencyMs ?? 0;
  const host = new MemoryTransport(options.description ?? "sim", options.clock, latency);
  const device = new MemoryTransport(`${host.description} (device end)`, options.clock, latency);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
