/**
 * `--device firmata:PATH`: a board running StandardFirmata, presented to the controller as a
 * massager that speaks our wire protocol. The protocol runs on the host, in the same device
 * core as the simulator; its outputs drive the board's pins through johnny-five.
 *
 *   controller ──send──► DeviceCore (host side) ──MotorSink──► johnny-five Motor ──Firmata──► pins
 *   controller ◄─line─── (OK / ER / ID / ST / TM)
 *
 * Firmata cannot store or play programs, so the ID lacks the Program bit and the controller
 * streams setpoints. Firmata has no device watchdog: if this process dies without closing,
 * the board keeps its last PWM. So every exit path we control stops the motors first: close(),
 * a serial error, and a disconnect (where the pins can no longer be reached at all).
 */
import { EventEmitter } from "node:events";
import type { SerialPort } from "serialport";
import { Capability } from "../../protocol/commands.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { type Clock, RealClock } from "../clock.ts";
import { DeviceCore } from "../reference-device/device-core.ts";
import { drainAndClose } from "../transport/open-serial-port.ts";
import type { Transport, TransportEvents } from "../transport/transport.ts";
import { connectFirmata, type FirmataConnection } from "./firmata-board.ts";
import { MotorSink } from "./motor-sink.ts";
import { type FirmataPinMap, noPinMapError, pinReportOf } from "./pin-map.ts";

/** What `massager play` prints for a Firmata device. */
export const FIRMATA_NO_WATCHDOG_WARNING =
  "Firmata has no device watchdog: if this computer crashes or the program is killed, the motors keep " +
  "running until the board is reset or unplugged. Ctrl-C, errors and a lost link stop them.";

/** The bridge's own firmware version, reported in ID: protocol 1.1, with the stop byte and GAIN. */
const BRIDGE_VERSION = "1.1.0";

export interface FirmataTransportOptions {
  /** Serial port of the board, e.g. /dev/ttyACM0. */
  path: string;
  /** Required: which pins drive the motors. */
  pins: FirmataPinMap | undefined;
  /** Default: the real clock. */
  clock?: Clock;
  /** Firmata handshake timeout, ms. Default 5000. */
  handshakeTimeoutMs?: number;
  /**
   * Turns a handshake failure into a better error, e.g. one naming the massager firmware when
   * that is what answers (hw/port-diagnosis.ts, passed in by composition/firmata-scheme.ts).
   * Default: the failure as it is.
   */
  explainSilence?: (error: unknown, path: string) => Promise<unknown>;
}

export class FirmataTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;
  /** The Firmata firmware the board reported, once open (e.g. `StandardFirmata.ino 2.4`). */
  firmware: string | undefined;
  private readonly options: FirmataTransportOptions;
  private readonly pins: FirmataPinMap;
  private readonly clock: Clock;
  private connection: FirmataConnection | undefined;
  private core: DeviceCore | undefined;
  private sink: MotorSink | undefined;
  private closing = false;

  constructor(options: FirmataTransportOptions) {
    super();
    if (options.pins === undefined) throw noPinMapError();
    this.options = options;
    this.pins = options.pins;
    this.clock = options.clock ?? new RealClock();
    this.description = `firmata:${options.path}`;
  }

  get isOpen(): boolean {
    return this.core !== undefined && !this.closing;
  }

  async open(): Promise<void> {
    if (this.connection) return;
    const connectOptions =
      this.options.handshakeTimeoutMs === undefined
        ? { path: this.options.path }
        : { path: this.options.path, handshakeTimeoutMs: this.options.handshakeTimeoutMs };
    let connection: FirmataConnection;
    try {
      connection = await connectFirmata(connectOptions);
    } catch (error) {
      // No Firmata answer: say so plainly if the board runs the massager firmware instead.
      throw this.options.explainSilence ? await this.options.explainSilence(error, this.options.path) : error;
    }
    this.connection = connection;
    this.firmware = connection.firmware;
    this.closing = false;
    this.watchLink(connection.port);
    connection.io.on("error", (error: unknown) => this.fail(`the Firmata link failed: ${String(error)}`));
    this.sink = new MotorSink(connection.five, connection.board, this.pins);
    this.core = new DeviceCore({
      clock: this.clock,
      // Replies leave after the current call, so the controller is never re-entered from send().
      send: (line) => {
        this.clock.defer(() => {
          if (this.isOpen) this.emit("line", line);
        });
      },
      sink: this.sink,
      capabilities: {
        firmware: BRIDGE_VERSION,
        // No Program bit: Firmata cannot store or play programs, so the controller streams. GAIN is
        // the host-side core's, applied before the caps and slewed like every level it sends the pins.
        caps:
          Capability.Vibration |
          Capability.Rotation |
          Capability.Stream |
          Capability.StopByte |
          Capability.Gain |
          Capability.Pins,
        pwmBits: 8,
      },
      // PINS reports the --pins map and Firmata's own (audible) PWM frequency.
      pins: pinReportOf(this.pins),
    });
    this.core.boot();
  }

  async send(line: string): Promise<void> {
    if (!this.isOpen || !this.core) {
      throw new MassagerError(ErrorCode.Disconnected, `${this.description}: cannot send, the link is not open`);
    }
    // Straight into the core: an ESTOP reaches the pins within this call.
    this.core.receive(line);
  }

  /** The stop byte goes straight into the core too: the pins are written to zero within this call. */
  async sendStopByte(): Promise<void> {
    if (!this.isOpen || !this.core) {
      throw new MassagerError(ErrorCode.Disconnected, `${this.description}: cannot send, the link is not open`);
    }
    this.core.stopByte();
  }

  /** Stops the motors, waits for those writes to reach the board, then closes the port. */
  async close(): Promise<void> {
    const connection = this.connection;
    if (!connection || this.closing) return;
    this.closing = true;
    this.stopMotors();
    this.core = undefined;
    this.connection = undefined;
    await drainAndClose(connection.port);
  }

  private stopMotors(): void {
    this.core?.shutdown();
    try {
      this.sink?.stopAll();
    } catch {
      // the port is gone: nothing can reach the pins any more
    }
  }

  /** A port that closes without close() being called is an unplugged cable (or a dead adapter). */
  private watchLink(port: SerialPort): void {
    port.on("close", () => {
      if (!this.closing) this.fail(`the serial link to ${this.options.path} was lost`);
    });
    port.on("error", (error: Error) => this.fail(`serial error on ${this.options.path}: ${error.message}`));
  }

  private fail(reason: string): void {
    if (this.closing || !this.connection) return;
    const connection = this.connection;
    this.stopMotors();
    this.closing = true;
    this.core = undefined;
    this.connection = undefined;
    void drainAndClose(connection.port);
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: ${reason}`));
  }
}
