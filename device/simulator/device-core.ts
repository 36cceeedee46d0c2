/**
 * The massager's behaviour as PROTOCOL.md defines it, independent of how lines arrive and of
 * what the outputs drive: frames in through receive(), frames out through `send`, applied
 * levels out through an OutputSink, time from an injected clock. The simulator, the Firmata
 * bridge and the BLE peripheral all wrap this one core.
 *
 *   line ──► receive ──► decode ──► handle request ──► reply (OK/ER/ID), then ST
 *   clock ──► tick (every tickMs): watchdog, session limit, player ──► caps ──► slew ──► sink, TM
 */
import { decode, encode } from "../../protocol/codec.ts";
import {
  Capability,
  COMMANDS,
  type DeviceMessage,
  type DeviceState,
  type HostMessage,
  type StateReason,
} from "../../protocol/commands.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { ProgramPlayer } from "../../protocol/player.ts";
import { type Levels, programDurationMs, type WireProgram } from "../../protocol/program.ts";
import type { Clock, TimerHandle } from "../clock.ts";
import { type DeviceCapabilities, deviceCapabilities } from "./capabilities.ts";
import type { OutputSink } from "./output-sink.ts";
import { ProgramUpload } from "./program-upload.ts";
import { SlewLimiter } from "./slew.ts";

export interface DeviceCoreOptions {
  clock: Clock;
  /** Writes one frame (without line ending) towards the host. */
  send: (line: string) => void;
  sink: OutputSink;
  capabilities?: Partial<DeviceCapabilities>;
  /** Control loop period, ms. Default 5. */
  tickMs?: number;
  /** Telemetry period at boot, ms. Default 50 (PROTOCOL.md). */
  telemetryMs?: number;
}

/** Everything the device knows, in one place (read-only from outside). */
export interface DeviceCoreState {
  state: DeviceState;
  reason: StateReason;
  applied: Levels;
  /** The level the outputs move towards (after caps). */
  target: Levels;
  /** The committed program, if any. */
  program: WireProgram | undefined;
  upload: ProgramUpload | undefined;
  /** Program position, ms (stops while paused). */
  posMs: number;
  step: number;
  /** Effective caps for this session: min(START caps, device caps). */
  vibCap: number;
  rotCap: number;
  /** Streaming setpoint, before caps. */
  setpoint: Levels;
  sessionStartMs: number;
  sessionLimitMs: number;
  /** The reason the current STOPPING ramp will report on reaching IDLE. */
  stopReason: StateReason;
  lastFrameMs: number;
  telemetryMs: number;
  lastTelemetryMs: number;
  /** Device time of boot, in clock ms (tMs counts from it). */
  bootMs: number;
  lastTickMs: number;
  /** Clock ms the position was last brought up to date. */
  posClockMs: number;
}

const TELEMETRY_MIN_MS = 10;
const ZERO: Readonly<Levels> = { vib: 0, rot: 0 };
const DAY_MS = 86_400_000;

export class DeviceCore {
  readonly capabilities: DeviceCapabilities;
  private readonly clock: Clock;
  private readonly send: (line: string) => void;
  private readonly sink: OutputSink;
  private readonly tickMs: number;
  private readonly initialTelemetryMs: number;
  private s: DeviceCoreState;
  private slew: SlewLimiter;
  private player: ProgramPlayer | undefined;
  private ticker: TimerHandle | undefined;
  /** The slew limiter's output, reused every tick; setApplied copies it when it changes anything. */
  private readonly slewed: Levels = { vib: 0, rot: 0 };
  /** Clock ms at construction: the sink's timebase (output times are clock ms minus this), which survives a reset. */
  readonly originMs: number;

  constructor(options: DeviceCoreOptions) {
    this.clock = options.clock;
    this.send = options.send;
    this.sink = options.sink;
    this.capabilities = deviceCapabilities(options.capabilities);
    this.tickMs = options.tickMs ?? 5;
    this.initialTelemetryMs = options.telemetryMs ?? 50;
    this.originMs = Math.floor(this.clock.now());
    this.slew = new SlewLimiter(this.capabilities.slewMs);
    this.s = this.bootState();
  }

  /** A copy of the device state. */
  get state(): Readonly<DeviceCoreState> {
    return this.s;
  }

  /** Device time, ms since boot (wraps at 2^32 like millis()). */
  get deviceMs(): number {
    return this.nowMs() - this.s.bootMs;
  }

  /** Powers the device on: outputs off, `ST IDLE BOOT 0 0`, the control loop running. */
  boot(): void {
    this.shutdown();
    this.s = this.bootState();
    this.slew = new SlewLimiter(this.capabilities.slewMs);
    this.player = undefined;
    this.sink.apply({ vib: 0, rot: 0 }, this.outputMs());
    this.ticker = this.clock.setInterval(() => this.tick(), this.tickMs);
    this.emitState();
  }

  /** Powers the device off: the control loop stops and the outputs go to zero. */
  shutdown(): void {
    if (this.ticker === undefined) return;
    this.clock.clearTimer(this.ticker);
    this.ticker = undefined;
    this.setApplied({ vib: 0, rot: 0 });
  }

  /** Handles one received line (without its line ending). */
  receive(line: string): void {
    if (this.ticker === undefined) return; // powered off
    const result = decode(line);
    if (result.kind === "discarded") return;
    if (result.kind === "error") {
      this.refuseUndecodable(result.seq ?? 0, result.code);
      return;
    }
    const message = result.message;
    if (!isHostMessage(message)) {
      this.refuseUndecodable("seq" in message ? message.seq : 0, ErrorCode.UnknownCommand);
      return;
    }
    this.s.lastFrameMs = this.nowMs();
    this.handle(message);
  }

  /** Runs one step of the control loop; the clock calls it every tickMs. */
  tick(): void {
    const now = this.nowMs();
    const s = this.s;
    const dt = now - s.lastTickMs;
    s.lastTickMs = now;
    if (s.state !== "IDLE") {
      if (now - s.lastFrameMs >= this.capabilities.watchdogMs) {
        this.cut("WDOG");
        this.sink.tick?.(this.outputMs());
        return;
      }
      this.updateTarget(now); // first: a program that ends on this tick ends DONE, not LIMIT
      if (s.state !== "STOPPING" && now - s.sessionStartMs >= s.sessionLimitMs) {
        this.beginStopping("LIMIT");
        s.target.vib = 0;
        s.target.rot = 0;
      }
      this.setApplied(this.slew.step(s.applied, s.target, dt, this.slewed));
      if (s.state === "STOPPING" && s.applied.vib === 0 && s.applied.rot === 0) {
        this.enterIdle(s.stopReason);
      } else if (s.telemetryMs > 0 && now - s.lastTelemetryMs >= s.telemetryMs) {
        this.emitTelemetry();
      }
    }
    this.sink.tick?.(this.outputMs());
  }

  private handle(message: HostMessage): void {
    const s = this.s;
    switch (message.type) {
      case "HELLO":
        this.emit({ type: "ID", seq: message.seq, ...this.idFields() });
        return;
      case "PING":
        this.ok(message.seq);
        return;
      case "STATUS":
        this.ok(message.seq);
        this.emitState();
        return;
      case "TELEM":
        s.telemetryMs = message.periodMs === 0 ? 0 : Math.max(TELEMETRY_MIN_MS, message.periodMs);
        this.ok(message.seq);
        return;
      case "ESTOP":
        this.ok(message.seq);
        if (s.state !== "IDLE") this.cut("ESTOP");
        else this.setApplied({ vib: 0, rot: 0 });
        return;
      case "STOP":
        this.ok(message.seq);
        if (s.state === "PLAYING" || s.state === "PAUSED" || s.state === "STREAMING") this.beginStopping("HOST");
        return;
      case "PAUSE":
        if (s.state !== "PLAYING") {
          this.er(message.seq, ErrorCode.BadState);
          return;
        }
        this.updatePosition();
        this.ok(message.seq);
        this.enter("PAUSED", "HOST");
        return;
      case "RESUME":
        if (s.state !== "PAUSED") {
          this.er(message.seq, ErrorCode.BadState);
          return;
        }
        s.posClockMs = this.nowMs();
        this.ok(message.seq);
        this.enter("PLAYING", "HOST");
        return;
      case "SET":
        if (s.state !== "STREAMING") {
          this.er(message.seq, ErrorCode.BadState);
          return;
        }
        s.setpoint = { vib: message.vib, rot: message.rot };
        this.ok(message.seq);
        return;
      case "LOAD":
      case "BLK":
      case "KEY":
      case "COMMIT":
        this.handleUpload(message);
        return;
      case "START":
      case "STREAM":
        this.handleStart(message);
        return;
    }
  }

  private handleUpload(message: Extract<HostMessage, { type: "LOAD" | "BLK" | "KEY" | "COMMIT" }>): void {
    const s = this.s;
    if (!(this.capabilities.caps & Capability.Program)) {
      this.er(message.seq, ErrorCode.NotSupported);
      return;
    }
    if (s.state !== "IDLE") {
      this.er(message.seq, ErrorCode.BadState);
      return;
    }
    if (message.type === "LOAD") {
      const refusal = ProgramUpload.check(message.blocks, this.capabilities);
      if (refusal !== undefined) {
        this.er(message.seq, refusal);
        return;
      }
      s.program = undefined;
      s.upload = new ProgramUpload(message.blocks, message.totalMs, this.capabilities);
      this.ok(message.seq);
      return;
    }
    const upload = s.upload;
    if (upload === undefined) {
      this.er(message.seq, ErrorCode.BadState);
      return;
    }
    if (message.type === "COMMIT") {
      const program = upload.commit();
      if (typeof program === "number") {
        this.er(message.seq, program);
        return;
      }
      s.program = program;
      s.upload = undefined;
      this.ok(message.seq);
      return;
    }
    const refusal =
      message.type === "BLK"
        ? upload.addBlock(message.durationMs, message.step)
        : upload.addKeys(message.track, message.keys);
    if (refusal !== undefined) {
      this.er(message.seq, refusal);
      return;
    }
    this.ok(message.seq);
  }

  private handleStart(message: Extract<HostMessage, { type: "START" | "STREAM" }>): void {
    const s = this.s;
    const needed = message.type === "START" ? Capability.Program : Capability.Stream;
    if (!(this.capabilities.caps & needed)) {
      this.er(message.seq, ErrorCode.NotSupported);
      return;
    }
    if (s.state !== "IDLE") {
      this.er(message.seq, ErrorCode.BadState);
      return;
    }
    if (message.type === "START" && s.program === undefined) {
      this.er(message.seq, ErrorCode.ProgramIncomplete);
      return;
    }
    const now = this.nowMs();
    s.vibCap = Math.min(message.vibCap, this.capabilities.vibCap);
    s.rotCap = Math.min(message.rotCap, this.capabilities.rotCap);
    s.sessionStartMs = now;
    s.sessionLimitMs = Math.min(message.limitS, this.capabilities.maxSessionS) * 1000;
    s.posMs = 0;
    s.posClockMs = now;
    s.step = 0;
    s.setpoint = { vib: 0, rot: 0 };
    s.lastTelemetryMs = now;
    this.player = message.type === "START" && s.program ? new ProgramPlayer(s.program) : undefined;
    s.step = s.program && message.type === "START" ? (s.program.blocks[0]?.step ?? 0) : 0;
    this.ok(message.seq);
    this.enter(message.type === "START" ? "PLAYING" : "STREAMING", "HOST");
  }

  /** Sets `target` to the capped level the outputs should move towards now (in place: this runs every tick). */
  private updateTarget(now: number): void {
    const s = this.s;
    if (s.state === "PLAYING" && this.player && s.program) {
      this.updatePosition(now);
      const sample = this.player.sample(s.posMs);
      s.step = sample.step;
      if (sample.done) {
        s.posMs = programDurationMs(s.program);
        this.beginStopping("DONE");
        this.capInto(ZERO, s.target);
        return;
      }
      this.capInto(sample, s.target);
      return;
    }
    this.capInto(s.state === "STREAMING" ? s.setpoint : ZERO, s.target); // PAUSED and STOPPING ramp down
  }

  private capInto(levels: Levels, out: Levels): void {
    const { vibCap, rotCap } = this.s;
    out.vib = Math.min(Math.max(levels.vib, 0), vibCap);
    out.rot = Math.max(-rotCap, Math.min(levels.rot, rotCap));
  }

  private updatePosition(now = this.nowMs()): void {
    const s = this.s;
    if (s.state === "PLAYING") s.posMs = Math.min(DAY_MS, s.posMs + (now - s.posClockMs));
    s.posClockMs = now;
  }

  private beginStopping(reason: StateReason): void {
    if (this.s.state === "STOPPING" || this.s.state === "IDLE") return;
    this.updatePosition();
    this.s.stopReason = reason;
    this.enter("STOPPING", reason);
  }

  /** Outputs to zero at once and IDLE: ESTOP, watchdog and faults. */
  private cut(reason: StateReason): void {
    this.setApplied({ vib: 0, rot: 0 });
    this.s.target = { vib: 0, rot: 0 };
    this.enterIdle(reason);
  }

  private enterIdle(reason: StateReason): void {
    this.player = undefined;
    this.enter("IDLE", reason);
    this.emitTelemetry(); // one more TM on entering IDLE
  }

  private enter(state: DeviceState, reason: StateReason): void {
    this.s.state = state;
    this.s.reason = reason;
    this.emitState();
  }

  /** A frame that could not be decoded: refused, and while streaming a fault (safety rule 5). */
  private refuseUndecodable(seq: number, code: number): void {
    this.emit({ type: "ER", seq, code });
    if (this.s.state === "STREAMING") this.cut("FAULT");
  }

  private setApplied(levels: Levels): void {
    const applied = this.s.applied;
    if (applied.vib === levels.vib && applied.rot === levels.rot) return;
    this.s.applied = { vib: levels.vib, rot: levels.rot };
    this.sink.apply(this.s.applied, this.outputMs());
  }

  private emitState(): void {
    const s = this.s;
    this.emit({ type: "ST", state: s.state, reason: s.reason, step: s.step, posMs: Math.floor(s.posMs) });
  }

  private emitTelemetry(): void {
    const s = this.s;
    s.lastTelemetryMs = this.nowMs();
    const posMs = s.state === "STREAMING" ? this.nowMs() - s.sessionStartMs : s.posMs;
    this.emit({
      type: "TM",
      tMs: this.deviceMs % 4_294_967_296,
      vib: s.applied.vib,
      rot: s.applied.rot,
      step: s.step,
      posMs: Math.min(DAY_MS, Math.floor(posMs)),
    });
  }

  private idFields() {
    const c = this.capabilities;
    return {
      proto: c.proto,
      firmware: c.firmware,
      caps: c.caps,
      pwmBits: c.pwmBits,
      maxBlocks: c.maxBlocks,
      maxKeys: c.maxKeys,
      watchdogMs: c.watchdogMs,
      maxSessionS: c.maxSessionS,
      slewMs: c.slewMs,
      vibCap: c.vibCap,
      rotCap: c.rotCap,
    };
  }

  private ok(seq: number): void {
    this.emit({ type: "OK", seq });
  }

  private er(seq: number, code: number): void {
    this.emit({ type: "ER", seq, code });
  }

  private emit(message: DeviceMessage): void {
    this.send(encode(message));
  }

  /** The sink's time: ms since this core was made. */
  private outputMs(): number {
    return this.nowMs() - this.originMs;
  }

  /** Integer milliseconds, like millis() on the board. */
  private nowMs(): number {
    return Math.floor(this.clock.now());
  }

  private bootState(): DeviceCoreState {
    const now = this.nowMs();
    return {
      state: "IDLE",
      reason: "BOOT",
      applied: { vib: 0, rot: 0 },
      target: { vib: 0, rot: 0 },
      program: undefined,
      upload: undefined,
      posMs: 0,
      step: 0,
      vibCap: this.capabilities.vibCap,
      rotCap: this.capabilities.rotCap,
      setpoint: { vib: 0, rot: 0 },
      sessionStartMs: now,
      sessionLimitMs: this.capabilities.maxSessionS * 1000,
      stopReason: "HOST",
      lastFrameMs: now,
      telemetryMs: this.initialTelemetryMs,
      lastTelemetryMs: now,
      bootMs: now,
      lastTickMs: now,
      posClockMs: now,
    };
  }
}

const HOST_TYPES = new Set<string>(
  Object.entries(COMMANDS)
    .filter(([, def]) => def.from === "host")
    .map(([name]) => name),
);

function isHostMessage(message: { type: string }): message is HostMessage {
  return HOST_TYPES.has(message.type);
}
