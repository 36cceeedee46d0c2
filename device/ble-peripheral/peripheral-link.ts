/**
 * The device end of one BLE connection, as a Transport, so the simulated massager attaches to
 * it exactly as it does to a serial line: the host's writes are reassembled into lines, and
 * each line the device sends goes out as notifications of at most MTU − 3 bytes. The stop byte
 * (protocol 1.1) passes through both bridge profiles: it is emitted as `stopByte` the moment the
 * write that holds it arrives, and the partial line it cut is dropped.
 */
import { EventEmitter } from "node:events";
import { LineReassembler, lineBytes } from "../../protocol/ble.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";
import type { Transport, TransportEvents } from "../transport/transport.ts";

/** Sends one notification (at most `maxValueSize` bytes) to the subscribed host. */
export type Notify = (data: Buffer) => void;

export class PeripheralLink extends EventEmitter<TransportEvents> implements Transport {
  private readonly reassembler = new LineReassembler();
  private notify: Notify | undefined;
  private maxValueSize = 20;
  private ended = false;

  constructor(readonly description: string) {
    super();
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  async open(): Promise<void> {
    if (this.ended) throw new MassagerError(ErrorCode.Disconnected, `${this.description}: the host has gone`);
  }

  /** Lines are notified only once the host subscribed; before that they are dropped, as on a real bridge. */
  async send(line: string): Promise<void> {
    if (this.ended) throw new MassagerError(ErrorCode.Disconnected, `${this.description}: the host has gone`);
    const notify = this.notify;
    if (notify === undefined) return;
    const bytes = lineBytes(line);
    for (let offset = 0; offset < bytes.length; offset += this.maxValueSize) {
      notify(Buffer.from(bytes.subarray(offset, offset + this.maxValueSize)));
    }
  }

  async close(): Promise<void> {
    this.ended = true;
    this.notify = undefined;
  }

  /** The host subscribed to TX: notifications of at most `maxValueSize` bytes may flow. */
  subscribed(notify: Notify, maxValueSize: number): void {
    this.notify = notify;
    this.maxValueSize = Math.max(1, maxValueSize);
  }

  /** The ATT MTU changed: notifications carry MTU − 3 bytes. */
  mtuChanged(mtu: number): void {
    this.maxValueSize = Math.max(1, mtu - 3);
  }

  unsubscribed(): void {
    this.notify = undefined;
  }

  /** Bytes the host wrote to RX. */
  written(data: Buffer): void {
    if (this.ended) return;
    let start = 0;
    for (let stop = data.indexOf(STOP_BYTE); stop >= 0; stop = data.indexOf(STOP_BYTE, start)) {
      this.lines(data.subarray(start, stop)); // lines the write completed before the byte come first
      this.reassembler.reset();
      start = stop + 1;
      this.emit("stopByte");
      if (this.ended) return;
    }
    this.lines(data.subarray(start));
  }

  private lines(data: Buffer): void {
    if (data.length === 0) return;
    for (const line of this.reassembler.push(data)) this.emit("line", line);
  }

  /** The connection dropped: the device sees `disconnect`, as with an unplugged cable. */
  dropped(): void {
    if (this.ended) return;
    this.ended = true;
    this.notify = undefined;
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: the host disconnected`));
  }
}
