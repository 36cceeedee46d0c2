/**
 * The request/response layer over one transport: numbers requests, serialises them (one
 * in flight, the others queued), matches replies, and hands unsolicited frames (ST, TM) on.
 * An urgent request (ESTOP) skips the queue and is written at once.
 *
 *   request() ─► queue ─► encode ─► transport.send ··· transport "line" ─► decode ─► waitress ─► caller
 *                                                                            └─► "frame" (ST/TM), "noise"
 */
import { EventEmitter } from "node:events";
import { decode, encode } from "../../protocol/codec.ts";
import type { DeviceMessage, HostMessage, MessageOf } from "../../protocol/commands.ts";
import { ErrorCode, errorCodeName, MassagerError } from "../../protocol/errors.ts";
import { MAX_SEQ } from "../../protocol/limits.ts";
import type { Clock } from "../clock.ts";
import { linkLog } from "../log.ts";
import type { Transport } from "../transport/transport.ts";
import { Waitress } from "./waitress.ts";

/** A request as the caller writes it: the link adds the sequence number. */
export type Request = HostMessage extends infer M ? (M extends { seq: number } ? Omit<M, "seq"> : never) : never;

/** OK, or the frame a request is answered with instead: ID for HELLO, PN for PINS (protocol 1.1). */
export type Reply = MessageOf<"OK"> | MessageOf<"ID"> | MessageOf<"PN">;

export interface LinkEvents {
  /** An ST or TM frame. */
  frame: [frame: MessageOf<"ST"> | MessageOf<"TM">];
  /** A line that is not a frame the host understands. */
  noise: [line: string, reason: string];
  /** The transport went away; every pending request has been rejected. */
  lost: [error: MassagerError];
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Skip the queue and write now (emergency stop). */
  urgent?: boolean;
  /**
   * The error a timeout rejects with, made once (timeoutErrorFor) by a caller that sends the same
   * request from the same place again and again: the heartbeat. A fresh error captures a stack
   * per request, which was the costliest single thing in a session played in virtual time.
   */
  timeoutError?: MassagerError;
}

interface QueuedRequest {
  message: Request;
  timeoutMs: number;
  timeoutError: MassagerError;
  resolve: (reply: Reply) => void;
  reject: (error: MassagerError) => void;
}

export class FrameLink extends EventEmitter<LinkEvents> {
  private seq = 0;
  private readonly waitress: Waitress<Reply>;
  private queue: QueuedRequest[] = [];
  private busy = false;
  private closed = false;
  /** Clock ms of the last frame read from the device (any frame: a reply, ST or TM). */
  lastHeardMs: number;
  private readonly onLine = (line: string) => this.receive(line);
  private readonly onDisconnect = (error: MassagerError) => this.lose(error);

  constructor(
    readonly transport: Transport,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {
    super();
    this.waitress = new Waitress(clock);
    this.lastHeardMs = clock.now();
    transport.on("line", this.onLine);
    transport.on("disconnect", this.onDisconnect);
    // Noise after the handshake has no other listener: DEBUG=massager:link shows what was dropped.
    this.on("noise", (line, reason) => linkLog("%s: dropped as noise (%s): %O", transport.description, reason, line));
  }

  /** True while nothing is in flight or queued. */
  get idle(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  /** Sends a request and resolves with its OK or ID; rejects with the device's ER code, Timeout or Disconnected. */
  request(message: Request, options: RequestOptions = {}): Promise<Reply> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeoutError = options.timeoutError ?? this.timeoutErrorFor(message.type, timeoutMs);
    if (options.urgent) return this.exchange(message, timeoutMs, timeoutError);
    return new Promise<Reply>((resolve, reject) => {
      this.queue.push({ message, timeoutMs, timeoutError, resolve, reject });
      if (!this.busy) this.next();
    });
  }

  /** The Timeout error of a `type` request that waited `timeoutMs` for its reply. */
  timeoutErrorFor(type: Request["type"], timeoutMs = this.timeoutMs): MassagerError {
    return new MassagerError(
      ErrorCode.Timeout,
      `${this.transport.description}: no reply to ${type} within ${timeoutMs} ms`,
      {
        hint: "check that the device is powered and connected, and that nothing else uses the port",
      },
    );
  }

  /** Rejects every request still queued (not yet sent) with `error`. */
  cancelQueued(error: MassagerError): void {
    const jobs = this.queue;
    this.queue = [];
    for (const job of jobs) job.reject(error);
  }

  /** Stops listening to the transport and fails whatever is pending. Does not close the transport. */
  detach(error: MassagerError): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.off("line", this.onLine);
    this.transport.off("disconnect", this.onDisconnect);
    this.waitress.rejectAll(error);
    this.cancelQueued(error);
  }

  private next(): void {
    const job = this.queue.shift();
    if (job === undefined) return;
    this.busy = true;
    this.exchange(job.message, job.timeoutMs, job.timeoutError)
      .then(job.resolve, job.reject)
      .finally(() => {
        this.busy = false;
        this.next();
      });
  }

  private async exchange(message: Request, timeoutMs: number, timeoutError: MassagerError): Promise<Reply> {
    if (this.closed) {
      throw new MassagerError(ErrorCode.Disconnected, `${this.transport.description}: the link is closed`);
    }
    this.seq = this.seq >= MAX_SEQ ? 1 : this.seq + 1;
    const seq = this.seq;
    const line = encode({ ...message, seq } as HostMessage);
    const reply = this.waitress.wait(seq, timeoutMs, timeoutError);
    // Marked handled at once: the reply can fail (a timeout fired by a virtual clock, a lost link)
    // before the caller's handler is attached. The caller still gets the failure from `return reply`.
    reply.catch(() => {});
    // The write is not awaited: the reply settles the request (its timeout runs from now), so a
    // write that never finishes cannot stall the queue or close(). A failed write fails the reply.
    linkLog("%s > %s", this.transport.description, line);
    this.transport.send(line).catch((error: unknown) => {
      this.waitress.reject(seq, asMassagerError(error, this.transport.description));
    });
    return reply;
  }

  private receive(line: string): void {
    linkLog("%s < %s", this.transport.description, line);
    const result = decode(line);
    if (result.kind === "discarded") return;
    if (result.kind === "error") {
      this.emit("noise", line, result.reason);
      return;
    }
    this.lastHeardMs = this.clock.now();
    const message = result.message as DeviceMessage | HostMessage;
    switch (message.type) {
      case "OK":
      case "ID":
      case "PN":
        if (!this.waitress.resolve(message.seq, message)) this.emit("noise", line, `unexpected reply ${message.seq}`);
        return;
      case "ER": {
        // ER 0: the device could not read the number; it can only be the one request in flight.
        const seq = message.seq === 0 ? (this.waitress.soleSeq() ?? 0) : message.seq;
        const error = new MassagerError(
          message.code as ErrorCode,
          `${this.transport.description}: the device refused a request: ${errorCodeName(message.code)}`,
        );
        if (!this.waitress.reject(seq, error)) this.emit("noise", line, `unexpected error reply ${message.seq}`);
        return;
      }
      case "ST":
      case "TM":
        this.emit("frame", message);
        return;
      default:
        this.emit("noise", line, `a ${message.type} frame from the device`);
    }
  }

  private lose(error: MassagerError): void {
    if (this.closed) return;
    this.detach(error);
    this.emit("lost", error);
  }
}

function asMassagerError(error: unknown, where: string): MassagerError {
  if (error instanceof MassagerError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new MassagerError(ErrorCode.TransportFailed, `${where}: ${text}`, { cause: error });
}
