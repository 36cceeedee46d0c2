/**
 * The massager's behaviour as PROTOCOL.md defines it, independent of how lines arrive and of
 * what the outputs drive: frames in through receive(), frames out through `send`, applied
 * levels out through an OutputSink, time from an injected clock. The simulator, the Firmata
 * bridge and the BLE peripheral all wrap this one core.
 *
 *   line ──► receive ──► decode ──► handle request ──► reply (OK/ER/ID), then ST
 *   stop byte ──► stopByte ──► outputs to zero, ST IDLE ESTOP (protocol 1.1)
 *   clock ──► tick (every tickMs): watchdog, session limit, player ──► gain ──► caps ──► slew ──► sink, TM
 *
 * Exact times: a tick runs the control loop up to the clock's time in steps that stop at every
 * moment something falls due on the way (the watchdog, the session limit, the program's end,
 * the end of a stopping ramp, a telemetry frame), so what the device reports happens at the
 * same millisecond as on the firmware, however late or coarse the timer that calls tick().
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
import type { PinReport } from "../../protocol/device-info.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { splitAtStopByte } from "../../protocol/framing.ts";
import { FULL_SCALE, STOP_BYTE_CHAR } from "../../protocol/limits.ts";
import { ProgramPlayer, type ProgramSample } from "../../protocol/player.ts";
import { type Levels, programDurationMs, type WireProgram } from "../../protocol/program.ts";
import type { Clock, TimerHandle } from "../clock.ts";
import {
  DEFAULT_PINS,
  type DeviceCapabilities,
  deviceCapabilities,
  PROTOCOL_1_0_CAPABILITIES,
} from "./capabilities.ts";
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
  /**
   * Which revision of protocol 1 to behave as. Default "1.1". "1.0" is a device with firmware
   * 1.0.0, for testing hosts against old boards: its ID has none of the 1.1 capability bits,
   * it refuses `GAIN` and `PINS` as unknown commands (102), and it does not act on the stop
   * byte: the byte stays in the line it lands in, which then fails to decode.
   */
  protocol?: "1.0" | "1.1";
  /** What PINS reports (with the Pins capability bit); default the firmware's default build. */
  pins?: PinReport;
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
  /**
   * Session position, ms: the program position while playing (it stops while paused), the time
   * since STREAM while streaming; it stops when the session stops (PROTOCOL.md, "Telemetry").
   */
  posMs: number;
  step: number;
  /** Effective caps for this session: min(START caps, device caps). */
  vibCap: number;
  rotCap: number;
  /** Streaming setpoint, before gain and caps. */
  setpoint: Levels;
  /** Per-output gain, permille (GAIN; 1000 at boot). Applied before the caps. */
  gain: Levels;
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
/** Requests a 1.0 device does not know. */
const NOT_IN_1_0 = new Set<string>(["GAIN", "PINS"]);
const ZERO: Readonly<Levels> = { vib: 0, rot: 0 };
const DAY_MS = 86_400_000;

export class DeviceCore {
  readonly capabilities: DeviceCapabilities;
  private readonly clock: Clock;
  private readonly send: (line: string) => void;
  private readonly sink: OutputSink;
  private readonly tickMs: number;
  private readonly initialTelemetryMs: number;
  private readonly protocol: "1.0" | "1.1";
  private readonly pins: PinReport;
  /** 1.0 only: a stop byte arrived, and stays in the line being received. */
  private strayStopByte = false;
  /** The device time of the control step running, while one runs (else the clock's time). */
  private stepMs: number | undefined;
  /** Set while a stop byte is handled: every output write is zero. */
  private holdAtZero = false;
  private s: DeviceCoreState;
  private slew: SlewLimiter;
  private player: ProgramPlayer | undefined;
  private ticker: TimerHandle | undefined;
  /** The player's sample, reused every step (nothing keeps it past the step). */
  private readonly sampled: ProgramSample = { vib: 0, rot: 0, block: 0, step: 0, done: false };
  /** The slew limiter's output, reused every tick; setApplied copies it when it changes anything. */
  private readonly slewed: Levels = { vib: 0, rot: 0 };
  /** durationOf()'s memory. */
  private durationFor: WireProgram | undefined;
  private durationMs = 0;
  /** Clock ms at construction: the sink's timebase (output times are clock ms minus this), which survives a reset. */
  readonly originMs: number;

  constructor(options: DeviceCoreOptions) {
    this.clock = options.clock;
    this.send = options.send;
    this.sink = options.sink;
    this.protocol = options.protocol ?? "1.1";
    this.pins = options.pins ?? DEFAULT_PINS;
    this.capabilities = deviceCapabilities({
      ...(this.protocol === "1.0" ? PROTOCOL_1_0_CAPABILITIES : {}),
      ...options.capabilities,
    });
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

  /**
   * Handles one received line (without its line ending). A line that still holds stop bytes (a
   * transport that only cuts at `\n`) is acted on as the framing would: stop, then the bytes
   * after the last stop byte are the line.
   */
  receive(input: string): void {
    if (this.ticker === undefined) return; // powered off
    let line = input;
    if (this.protocol === "1.0") {
      if (this.strayStopByte) line = STOP_BYTE_CHAR + line;
      this.strayStopByte = false;
    } else if (line.includes(STOP_BYTE_CHAR)) {
      this.stopByte();
      line = splitAtStopByte(line).rest;
    }
    this.catchUp(this.clockMs()); // the control loop is brought up to the frame's arrival first, as on the firmware
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
    if (this.protocol === "1.0" && NOT_IN_1_0.has(message.type)) {
      this.er(message.seq, ErrorCode.UnknownCommand);
      return;
    }
    this.handle(message);
  }

  /**
   * The stop byte arrived (protocol 1.1): outputs to zero at once, then `ST IDLE ESTOP` and
   * the last `TM`, exactly as for the `ESTOP` frame but with no reply (it is no request). In
   * IDLE nothing is sent. A 1.0 device does not know the byte: it stays in the line.
   */
  stopByte(): void {
    if (this.ticker === undefined) return;
    if (this.protocol === "1.0") {
      this.strayStopByte = true;
      return;
    }
    // Outputs to zero first, and held there while the control loop is brought up to the byte's arrival.
    this.holdAtZero = true;
    try {
      this.setApplied(ZERO);
      this.catchUp(this.clockMs());
    } finally {
      this.holdAtZero = false;
    }
    this.cutOrZero();
  }

  /** Runs the control loop up to the clock's time; the clock calls it every tickMs. */
  tick(): void {
    this.catchUp(this.clockMs());
    this.sink.tick?.(this.outputMs());
  }

  /** Runs control steps up to `now`, stopping at each moment something falls due on the way. */
  private catchUp(now: number): void {
    const s = this.s;
    while (s.lastTickMs < now) {
      this.stepMs = Math.min(now, this.nextDueMs());
      try {
        this.step(this.stepMs);
      } finally {
        this.stepMs = undefined;
      }
    }
  }

  /** The next device time after the last step at which the control loop must run (Infinity: none). */
  private nextDueMs(): number {
    const s = this.s;
    if (s.state === "IDLE") return Number.POSITIVE_INFINITY;
    const after = s.lastTickMs;
    let due = sooner(Number.POSITIVE_INFINITY, s.lastFrameMs + this.capabilities.watchdogMs, after);
    if (s.telemetryMs > 0) due = sooner(due, s.lastTelemetryMs + s.telemetryMs, after);
    if (s.state === "STOPPING") {
      const distance = Math.max(Math.abs(s.applied.vib), Math.abs(s.applied.rot));
      due = sooner(due, after + this.slew.msToMove(distance), after);
    } else {
      due = sooner(due, s.sessionStartMs + s.sessionLimitMs, after);
    }
    if (s.state === "PLAYING" && s.program) {
      due = sooner(due, s.posClockMs + (this.durationOf(s.program) - s.posMs), after);
    }
    return due;
  }

  /** One step of the control loop at device time `now`, as the firmware's tick() does every millisecond. */
  private step(now: number): void {
    const s = this.s;
    const dt = now - s.lastTickMs;
    s.lastTickMs = now;
    if (s.state === "IDLE") return;
    // The position and the step first, so that every frame this step sends reports them at `now`.
    this.updatePosition(now);
    const sample = s.state === "PLAYING" ? this.player?.sample(s.posMs, this.sampled) : undefined;
    if (sample) s.step = sample.step;
    if (now - s.lastFrameMs >= this.capabilities.watchdogMs) {
      this.cut("WDOG");
      return;
    }
    // The program's end before the limit: a program that ends on the same step as the limit ends DONE.
    if (sample?.done && s.program) {
      s.posMs = this.durationOf(s.program);
      this.beginStopping("DONE");
    }
    if (s.state !== "STOPPING" && now - s.sessionStartMs >= s.sessionLimitMs) this.beginStopping("LIMIT");
    const wanted = s.state === "PLAYING" && sample ? sample : s.state === "STREAMING" ? s.setpoint : ZERO;
    this.capInto(wanted, s.target); // PAUSED and STOPPING ramp down
    this.setApplied(this.slew.step(s.applied, s.target, dt, this.slewed));
    if (s.state === "STOPPING" && s.applied.vib === 0 && s.applied.rot === 0) {
      this.enterIdle(s.stopReason);
    } else if (s.telemetryMs > 0 && now - s.lastTelemetryMs >= s.telemetryMs) {
      this.emitTelemetry();
    }
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
      case "PINS":
        // Answered by PN, as HELLO by ID; a device without the Pins bit does not know it.
        if ((this.capabilities.caps & Capability.Pins) === 0) this.er(message.seq, ErrorCode.UnknownCommand);
        else this.emit({ type: "PN", seq: message.seq, ...this.pins });
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
        this.cutOrZero();
        return;
      case "GAIN":
        s.gain = { vib: message.vib, rot: message.rot };
        this.ok(message.seq);
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

  /** Gain, then caps (PROTOCOL.md, "Playback"), into `out` (in place: this runs every step). */
  private capInto(levels: Levels, out: Levels): void {
    const { vibCap, rotCap, gain } = this.s;
    if (levels === ZERO) {
      out.vib = 0;
      out.rot = 0;
      return;
    }
    const vib = Math.trunc((levels.vib * gain.vib) / FULL_SCALE);
    const rot = Math.trunc((levels.rot * gain.rot) / FULL_SCALE) || 0; // || 0: no -0
    out.vib = Math.min(Math.max(vib, 0), vibCap);
    out.rot = Math.max(-rotCap, Math.min(rot, rotCap));
  }

  /** programDurationMs(program), remembered for the last program asked about: nextDueMs() asks every tick. */
  private durationOf(program: WireProgram): number {
    if (this.durationFor !== program) {
      this.durationFor = program;
      this.durationMs = programDurationMs(program);
    }
    return this.durationMs;
  }

  /** Brings the session position up to `now`: it runs while PLAYING and STREAMING. */
  private updatePosition(now = this.nowMs()): void {
    const s = this.s;
    if (s.state === "PLAYING" || s.state === "STREAMING") s.posMs = Math.min(DAY_MS, s.posMs + (now - s.posClockMs));
    s.posClockMs = now;
  }

  private beginStopping(reason: StateReason): void {
    if (this.s.state === "STOPPING" || this.s.state === "IDLE") return;
    this.s.stopReason = reason;
    this.enter("STOPPING", reason);
  }

  /** ESTOP and the stop byte: a cut in every state but IDLE, where the outputs are only held at zero. */
  private cutOrZero(): void {
    if (this.s.state !== "IDLE") this.cut("ESTOP");
    else this.setApplied(ZERO);
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
    if (this.s.telemetryMs > 0) this.emitTelemetry(); // one more TM on entering IDLE, unless telemetry is off
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

  private setApplied(wanted: Levels): void {
    const levels = this.holdAtZero ? ZERO : wanted;
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
    const posMs = s.posMs;
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

  /** Device time in integer milliseconds, like millis() on the board: the running control step's, else the clock's. */
  private nowMs(): number {
    return this.stepMs ?? this.clockMs();
  }

  private clockMs(): number {
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
      gain: { vib: FULL_SCALE, rot: FULL_SCALE },
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

/** `at` if it comes after `after` and before `due`, else `due`. */
function sooner(due: number, at: number, after: number): number {
  return at > after && at < due ? at : due;
}

const HOST_TYPES = new Set<string>(
  Object.entries(COMMANDS)
    .filter(([, def]) => def.from === "host")
    .map(([name]) => name),
);

function isHostMessage(message: { type: string }): message is HostMessage {
  return HOST_TYPES.has(message.type);
}
