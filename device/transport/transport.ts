/**
 * The one seam between the controller and a link to a device. Serial, TCP, BLE and the
 * in-memory pair all implement it; the controller never knows which it has.
 */
import type { EventEmitter } from "node:events";
import type { MassagerError } from "../../protocol/errors.ts";

export interface TransportEvents {
  /** One received line, without its line ending. */
  line: [line: string];
  /** The link is gone (unplugged cable, closed socket, lost BLE link). Not emitted after close(). */
  disconnect: [reason: MassagerError];
  /**
   * A stop byte (STOP_BYTE, protocol 1.1) arrived: emitted the moment it is read, before any line
   * cut from the same bytes. The partial line it interrupted is dropped. Only a device end acts on it.
   */
  stopByte: [];
}

export interface Transport extends EventEmitter<TransportEvents> {
  /** Names the link for messages, e.g. `serial:/dev/ttyUSB0` or `tcp:127.0.0.1:7878`. */
  readonly description: string;
  readonly isOpen: boolean;
  /** Opens the link; rejects with a MassagerError (PortNotFound, PortBusy, PermissionDenied, ...) naming the fix. */
  open(): Promise<void>;
  /** Sends one frame; the transport appends the line ending. */
  send(line: string): Promise<void>;
  /**
   * Writes the single byte STOP_BYTE now, without a line ending, ahead of anything this transport
   * queues (protocol 1.1 emergency stop). Optional: a transport without it leaves the stop to the
   * `ESTOP` frame.
   */
  sendStopByte?(): Promise<void>;
  /** Closes the link; safe to call twice. */
  close(): Promise<void>;
}

/** Makes a fresh transport for each (re)connection attempt. */
export type TransportFactory = () => Transport;
