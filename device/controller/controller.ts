/**
 * The controller: connects to a massager over any Transport, checks it, plays compiled
 * sessions on it and keeps it safe. A library: it prints nothing and installs no signal
 * handlers; whoever owns the process calls close() on the way out.
 *
 *   play() ─► plan (the compiled chunks) ─► upload + START ─► device plays, sends ST/TM
 *                                        (or STREAM + SET from the host)      │
 *   events ◄── session / step / progress / telemetry / ended ◄───────────────┘
 *   heartbeat: PING every watchdogMs/4, whatever replies are outstanding · lost link: stop byte + ESTOP,
 *   then reconnect with backoff (README, "Reconnect policy") · emergency stop: stop byte, then ESTOP
 */
import { EventEmitter } from "node:events";
import type { MessageOf } from "../../protocol/commands.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { FULL_SCALE } from "../../protocol/limits.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { type Clock, RealClock } from "../clock.ts";
import { asMassagerError, Connection } from "./connection.ts";
import { checkPercent, type IntensityControl, noLiveIntensity, scaleProgram } from "./intensity.ts";
import type { FrameLink } from "./link.ts";
import { CONTROLLER_DEFAULTS, type ControllerOptions, type ResolvedControllerOptions } from "./options.ts";
import { planPrograms, planStream } from "./session-plan.ts";
import { SessionRunner } from "./session-runner.ts";
import type { ConnectionStatus, ControllerEvents, SessionControl, SessionEnd } from "./types.ts";

/**
 * The public face: a Connection (connection.ts) and, while one plays, a SessionRunner
 * (session-runner.ts) whose states are in session-machine.ts.
 */
export class Controller extends EventEmitter<ControllerEvents> implements SessionControl {
  private readonly options: ResolvedControllerOptions;
  private readonly clock: Clock;
  private readonly connectionManager: Connection;
  private session: SessionRunner | undefined;
  private lastEnd: Promise<SessionEnd> | undefined;

  constructor(options: ControllerOptions) {
    super();
    this.options = {
      ...CONTROLLER_DEFAULTS,
      clock: new RealClock(),
      heartbeatMs: undefined,
      ...definedOnly(options),
    } as ResolvedControllerOptions;
    this.clock = this.options.clock;
    this.connectionManager = new Connection(this.options, this.clock, {
      connection: (status, detail) => this.emit("connection", status, detail),
      device: (info) => this.emit("device", info),
      frame: (frame) => this.onFrame(frame),
      lost: () => this.session?.linkLost(),
      back: async () => {
        await this.session?.linkBack();
      },
      gaveUp: (error) => {
        this.session?.gaveUp(error);
        this.emitError(error);
      },
      failed: (error) => {
        void this.fail(error);
      },
      sessionRuns: () => this.session?.runs ?? false,
    });
  }

  /** What the device said of itself; undefined until connected. */
  get info(): DeviceInfo | undefined {
    return this.connectionManager.info;
  }

  get connection(): ConnectionStatus {
    return this.connectionManager.status;
  }

  /** Opens the transport, handshakes and checks the device. Rejects with HandshakeFailed, PortNotFound, ... */
  connect(): Promise<DeviceInfo> {
    return this.connectionManager.connect();
  }

  async play(compiled: CompiledSession): Promise<void> {
    const info = this.requireConnected("play");
    if (this.session) {
      throw new MassagerError(ErrorCode.SessionInProgress, "a session is already playing", {
        hint: "stop it first",
      });
    }
    const mode = info.program ? "program" : info.stream ? "stream" : undefined;
    if (mode === undefined) {
      throw new MassagerError(ErrorCode.NotSupported, "the device can neither store programs nor stream setpoints", {
        hint: "flash the massager firmware, which supports both",
      });
    }
    checkSessionLength(compiled, info);
    const intensity = intensityControl(compiled, info);
    // A session compiled for live intensity on a device without it: the host scales the levels.
    const levels = intensity.kind === "levels" && compiled.intensityIn === "gain" ? compiled.intensity : 100;
    const plan = (mode === "program" ? planPrograms(compiled, info) : planStream(compiled)).map((planned) => ({
      ...planned,
      program: scaleProgram(planned.program, levels),
    }));
    const session = new SessionRunner(compiled, mode, plan, intensity, {
      options: this.options,
      clock: this.clock,
      connection: this.connectionManager,
      events: this,
      raise: (error) => this.emitError(error),
      released: (runner) => {
        if (this.session === runner) this.session = undefined;
      },
    });
    this.session = session;
    this.lastEnd = session.end;
    try {
      await session.start();
    } catch (error) {
      throw asMassagerError(error);
    }
  }

  pause(): Promise<void> {
    return this.requireSession("pause").pause();
  }

  resume(): Promise<void> {
    return this.requireSession("resume").resume();
  }

  async stop(): Promise<void> {
    await this.session?.stop();
  }

  async emergencyStop(): Promise<void> {
    // The stop byte and the ESTOP frame are written before anything else runs (no await before them).
    const estop = this.connectionManager.sendEstop();
    const session = this.session;
    if (session) await session.abort("estop", estop);
    else await estop;
  }

  async setIntensity(percent: number): Promise<void> {
    const value = checkPercent(percent);
    const session = this.requireSession("set the intensity");
    const control = session.intensity;
    if (control.kind === "levels") throw noLiveIntensity(control, this.info?.firmware ?? "1.0");
    control.percent = value;
    // The new percent also holds for the rest of the session (next chunks, after a reconnect);
    // GAIN is accepted in every device state, so it is sent whatever the session is doing.
    await session.sendGain(this.requireLink("set the intensity"), value);
  }

  /**
   * Protocol 1.1: the device's pin map and PWM frequency (PINS, answered by PN); undefined from a
   * device that does not know PINS (a 1.0 device answers 102).
   */
  async pins(): Promise<Omit<MessageOf<"PN">, "type" | "seq"> | undefined> {
    const link = this.requireLink("read the pins");
    try {
      const reply = await link.request({ type: "PINS" });
      if (reply.type !== "PN") return undefined;
      const { type: _, seq: __, ...pins } = reply;
      return pins;
    } catch (error) {
      if (isMassagerError(error, ErrorCode.UnknownCommand)) return undefined;
      throw error;
    }
  }

  /** Resolves when the current (or last) session ends; rejects when there has been none. */
  waitForEnd(): Promise<SessionEnd> {
    if (this.lastEnd === undefined) {
      return Promise.reject(new MassagerError(ErrorCode.SessionAborted, "no session has been played"));
    }
    return this.lastEnd;
  }

  /** Stops the motors (ESTOP), ends any session, closes the link. Safe to call twice. */
  close(): Promise<void> {
    return this.connectionManager.close(async (estop) => {
      const session = this.session;
      if (session) await session.abort("close", estop);
      else await estop;
    });
  }

  private onFrame(frame: MessageOf<"ST"> | MessageOf<"TM">): void {
    const session = this.session;
    if (frame.type === "ST") {
      this.emit("deviceState", frame.state, frame.reason);
      session?.onDeviceState(frame);
      return;
    }
    const positionMs = session ? session.onTelemetry(frame) : frame.posMs;
    this.emit("telemetry", {
      tMs: frame.tMs,
      vibration: frame.vib / FULL_SCALE,
      rotation: frame.rot / FULL_SCALE,
      positionMs,
      step: session?.step ?? frame.step,
    });
    if (session?.runs) this.emit("progress", positionMs, session.compiled.durationMs);
  }

  /** A failure outside any session's own work (the heartbeat, the reconnect): stop the motors. */
  private async fail(error: unknown): Promise<void> {
    if (this.connectionManager.closed) return;
    const session = this.session;
    if (session) {
      await session.fail(error);
      return;
    }
    await this.connectionManager.sendEstop();
    this.emitError(asMassagerError(error));
  }

  private requireConnected(what: string): DeviceInfo {
    const info = this.connectionManager.info;
    if (this.connectionManager.link === undefined || info === undefined) {
      throw new MassagerError(ErrorCode.NotConnected, `cannot ${what}: no device is connected`, {
        hint: "connect first",
      });
    }
    return info;
  }

  private requireLink(what: string): FrameLink {
    const link = this.connectionManager.link;
    if (link === undefined) {
      throw new MassagerError(ErrorCode.Disconnected, `cannot ${what}: the device is not connected`);
    }
    return link;
  }

  private requireSession(what: string): SessionRunner {
    const session = this.session;
    if (session === undefined) throw new MassagerError(ErrorCode.SessionAborted, `cannot ${what}: nothing is playing`);
    return session;
  }

  /** Emits `error` only when someone listens: an unheard error event must not crash the host process. */
  private emitError(error: MassagerError): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }
}

/** Refuses, before anything moves, a session longer than the device allows in one session. */
function checkSessionLength(compiled: CompiledSession, info: DeviceInfo): void {
  const limitMs = info.maxSessionS * 1000;
  if (compiled.durationMs <= limitMs) return;
  throw new MassagerError(
    ErrorCode.SessionTooLong,
    `a ${minutesText(compiled.durationMs)}-minute session is longer than this device allows in one session (${minutesText(limitMs)} minutes, its maxSessionS ${info.maxSessionS} s)`,
    { hint: `play at most ${minutesText(limitMs)} minutes at a time` },
  );
}

function minutesText(ms: number): string {
  return String(Math.round((ms / 60_000) * 100) / 100);
}

/** Live (GAIN) when the device has it and the session was compiled at full level; else in the levels. */
function intensityControl(compiled: CompiledSession, info: DeviceInfo): IntensityControl {
  if (compiled.intensityIn !== "gain") return { kind: "levels", reason: info.gain ? "session" : "firmware" };
  if (!info.gain) return { kind: "levels", reason: "firmware" };
  return { kind: "gain", percent: compiled.intensity };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
