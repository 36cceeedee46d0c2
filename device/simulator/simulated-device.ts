/**
 * A complete simulated massager: the protocol core, a motor model, a recorder of what it
 * applied, and the misbehaviours a test switched on, attached to whatever transport carries
 * its lines (in memory, a pseudo-terminal, a TCP socket).
 *
 *   transport ─► behaviours (inbound) ─► DeviceCore ─► behaviours (outbound) ─► transport
 *                                           └─► sink: recorder + motor model (+ extra sinks)
 */
import type { Clock } from "../clock.ts";
import type { DeviceCapabilities } from "../reference-device/capabilities.ts";
import { DeviceCore } from "../reference-device/device-core.ts";
import { fanOut, type OutputSink } from "../reference-device/output-sink.ts";
import type { Transport } from "../transport/transport.ts";
import type { Behaviour, BehaviourContext, Pass } from "./behaviours.ts";
import { MotorModel } from "./motor-model.ts";
import { OutputRecorder } from "./recorder.ts";

export interface SimulatedDeviceOptions {
  clock: Clock;
  capabilities?: Partial<DeviceCapabilities>;
  /** Control loop period, ms. Default 5. */
  tickMs?: number;
  /** Keep every change in memory (tests, traces). Default true; long-running servers pass false. */
  keepRecord?: boolean;
  /** More sinks for the applied levels (pins, displays). */
  sinks?: OutputSink[];
  /** Behave as a protocol 1.0 device (firmware 1.0.0), or 1.1 (the default): see DeviceCoreOptions. */
  protocol?: "1.0" | "1.1";
}

export class SimulatedDevice {
  readonly core: DeviceCore;
  readonly recorder: OutputRecorder;
  readonly motor = new MotorModel();
  private readonly clock: Clock;
  private behaviours: Behaviour[] = [];
  private transport: Transport | undefined;
  private readonly onLine = (line: string) => this.inbound(line);
  private readonly onDisconnect = () => this.detach();
  /** The stop byte goes straight to the core, past any misbehaviour: it acts the moment it arrives. */
  private readonly onStopByte = () => this.core.stopByte();
  private readonly context: BehaviourContext;
  /** The ends of the two chains, made once: a line passes here for every frame either way. */
  private readonly toCore: Pass = (line) => this.core.receive(line);
  private readonly toTransport: Pass = (line) => {
    const transport = this.transport;
    if (transport?.isOpen) transport.send(line).catch(this.onSendFailed);
  };
  private readonly onSendFailed = () => this.detach();

  constructor(options: SimulatedDeviceOptions) {
    this.clock = options.clock;
    this.recorder = new OutputRecorder(options.keepRecord ?? true);
    this.core = new DeviceCore({
      clock: options.clock,
      send: (line) => this.outbound(line),
      sink: fanOut(this.recorder, this.motor, ...(options.sinks ?? [])),
      ...(options.capabilities ? { capabilities: options.capabilities } : {}),
      ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
      ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    });
    this.context = { clock: this.clock, reset: () => this.core.boot() };
  }

  /** Powers on: outputs off, `ST IDLE BOOT 0 0`. */
  start(): this {
    this.core.boot();
    return this;
  }

  /** Reboots mid-session, as a brown-out or the hardware watchdog would. */
  reset(): void {
    this.core.boot();
  }

  /** Powers off: the control loop stops, outputs zero, the transport is let go. */
  stop(): void {
    this.core.shutdown();
    this.detach();
  }

  /** Carries the device's lines over `transport` (opened by the caller), replacing any previous one. */
  attach(transport: Transport): void {
    this.detach();
    this.transport = transport;
    transport.on("line", this.onLine);
    transport.on("stopByte", this.onStopByte);
    transport.on("disconnect", this.onDisconnect);
  }

  /** Lets go of the current transport (the device keeps running: its watchdog will stop the motors). */
  detach(): void {
    const transport = this.transport;
    if (transport === undefined) return;
    transport.off("line", this.onLine);
    transport.off("stopByte", this.onStopByte);
    transport.off("disconnect", this.onDisconnect);
    this.transport = undefined;
  }

  /** Switches a misbehaviour on; returns the function that switches it off. */
  use(behaviour: Behaviour): () => void {
    this.behaviours = [...this.behaviours, behaviour];
    return () => {
      this.behaviours = this.behaviours.filter((b) => b !== behaviour);
    };
  }

  private inbound(line: string): void {
    if (this.behaviours.length === 0) this.toCore(line);
    else this.chain("inbound", 0, line, this.toCore);
  }

  private outbound(line: string): void {
    if (this.behaviours.length === 0) this.toTransport(line);
    else this.chain("outbound", 0, line, this.toTransport);
  }

  private chain(direction: "inbound" | "outbound", index: number, line: string, end: Pass): void {
    for (let i = index; i < this.behaviours.length; i++) {
      const handler = this.behaviours[i]?.[direction];
      if (handler) {
        handler(line, (next) => this.chain(direction, i + 1, next, end), this.context);
        return;
      }
    }
    end(line);
  }
}
