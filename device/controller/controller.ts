/**
 * The controller: connects to a massager over any Transport, checks it, plays compiled
 * sessions on it and keeps it safe. A library: it prints nothing and installs no signal
 * handlers; whoever owns the process calls close() on the way out.
 *
 *   play() ─► plan (chunks that fit) ─► upload + START ─► device plays, sends ST/TM
 *                                        (or STREAM + SET from the host)      │
 *   events ◄── session / step / progress / telemetry / ended ◄───────────────┘
 *   heartbeat: PING every watchdogMs/4, whatever replies are outstanding · lost link: stop byte + ESTOP,
 *   then reconnect with backoff (README, "Reconnect policy") · emergency stop: stop byte, then ESTOP
 */
import { EventEmitter } from "node:events";
import type { MessageOf, StateReason } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { programDurationMs } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { type Clock, RealClock, type TimerHandle } from "../clock.ts";
import { reconnectLog, sessionLog } from "../log.ts";
import type { Transport } from "../transport/transport.ts";
import { handshake } from "./handshake.ts";
import { checkPercent, gainPermille, type IntensityControl, noLiveIntensity, scaleProgram } from "./intensity.ts";
import { DeviceLink, type Request } from "./link.ts";
import { CONTROLLER_DEFAULTS, type ControllerOptions, type ResolvedControllerOptions } from "./options.ts";
import { requestWithRetry } from "./retry.ts";
import { type PlannedProgram, planFromPosition, planPrograms } from "./session-plan.ts";
import { SetpointStreamer } from "./streamer.ts";
import type {
  ConnectionStatus,
  ControllerEvents,
  DeviceInfo,
  SessionControl,
  SessionEnd,
  SessionStatus,
} from "./types.ts";
import { uploadProgram } from "./upload.ts";

interface ActiveSession {
  compiled: CompiledSession;
  mode: "program" | "stream";
  status: SessionStatus;
  /** Every program of the session with its offset: what a reconnect resumes from. */
  plan: PlannedProgram[];
  /** Programs still to play after the current one. */
  queue: PlannedProgram[];
  current: PlannedProgram | undefined;
  /** True while the device plays (or streams) this session, so its ST frames concern us. */
  running: boolean;
  positionMs: number;
  step: number | undefined;
  paused: boolean;
  /** The host asked for a soft stop (or the streamed program ended: `completing`). */
  stopping: boolean;
  completing: boolean;
  /** Set by an emergency stop or a failure: nothing more may be sent for this session. */
  aborted: boolean;
  ended: boolean;
  streamer: SetpointStreamer | undefined;
  /** Programs to start on resume(), when the link came back while the session was paused. */
  pendingResume: PlannedProgram[] | undefined;
  intensity: IntensityControl;
  end: Promise<SessionEnd>;
  resolveEnd: (end: SessionEnd) => void;
}

export class Controller extends EventEmitter<ControllerEvents> implements SessionControl {
  private readonly options: ResolvedControllerOptions;
  private readonly clock: Clock;
  private connectionStatus: ConnectionStatus = "disconnected";
  private transport: Transport | undefined;
  private link: DeviceLink | undefined;
  private deviceInfo: DeviceInfo | undefined;
  private heartbeat: TimerHandle | undefined;
  private heartbeatMisses = 0;
  /** One timeout error for every PING on the current link (RequestOptions.timeoutError). */
  private heartbeatTimeout: MassagerError | undefined;
  private session: ActiveSession | undefined;
  private lastEnd: Promise<SessionEnd> | undefined;
  private closed = false;
  /** Clock ms of the last ST or TM frame: a running session silent for long has lost one (see beat()). */
  private lastFrameMs = 0;
  private reconnectWake: { timer: TimerHandle; wake: () => void } | undefined;

  constructor(options: ControllerOptions) {
    super();
    this.options = {
      ...CONTROLLER_DEFAULTS,
      clock: new RealClock(),
      heartbeatMs: undefined,
      ...definedOnly(options),
    } as ResolvedControllerOptions;
    this.clock = this.options.clock;
  }

  /** What the device said of itself; undefined until connected. */
  get info(): DeviceInfo | undefined {
    return this.deviceInfo;
  }

  get connection(): ConnectionStatus {
    return this.connectionStatus;
  }

  get sessionStatus(): SessionStatus {
    return this.session?.status ?? "idle";
  }

  /** Opens the transport, handshakes and checks the device. Rejects with HandshakeFailed, PortNotFound, ... */
  async connect(): Promise<DeviceInfo> {
    if (this.closed) throw new MassagerError(ErrorCode.Disconnected, "the controller was closed");
    if (this.link && this.deviceInfo) return this.deviceInfo;
    this.setConnection("connecting", {});
    try {
      const info = await this.openLink();
      this.setConnection("connected", {});
      return info;
    } catch (error) {
      const failure = asMassagerError(error);
      this.setConnection("disconnected", { error: failure });
      throw failure;
    }
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
    const plan = (mode === "program" ? planPrograms(compiled, info) : [{ program: compiled.program, offsetMs: 0 }]).map(
      (planned) => ({ ...planned, program: scaleProgram(planned.program, levels) }),
    );
    let resolveEnd: (end: SessionEnd) => void = () => {};
    const end = new Promise<SessionEnd>((resolve) => {
      resolveEnd = resolve;
    });
    const session: ActiveSession = {
      compiled,
      mode,
      status: "idle",
      plan,
      queue: [],
      current: undefined,
      running: false,
      positionMs: 0,
      step: undefined,
      paused: false,
      stopping: false,
      completing: false,
      aborted: false,
      ended: false,
      streamer: undefined,
      pendingResume: undefined,
      intensity,
      end,
      resolveEnd,
    };
    this.session = session;
    this.lastEnd = end;
    this.setStatus(session, "uploading");
    try {
      await this.startPrograms(session, plan);
    } catch (error) {
      await this.fail(error, session);
      throw asMassagerError(error);
    }
  }

  async pause(): Promise<void> {
    const session = this.requireSession("pause");
    if (session.paused) return;
    if (session.mode === "stream" || !session.running) {
      session.streamer?.pause();
    } else {
      await this.retrying(this.requireLink("pause"), { type: "PAUSE" }, { changesState: true });
    }
    session.paused = true;
    this.setStatus(session, "paused");
  }

  async resume(): Promise<void> {
    const session = this.requireSession("resume");
    if (!session.paused) return;
    session.paused = false;
    const pending = session.pendingResume;
    if (pending !== undefined) {
      session.pendingResume = undefined;
      await this.startPrograms(session, pending);
      return;
    }
    if (session.mode === "stream") session.streamer?.resume();
    else if (session.running) {
      await this.retrying(this.requireLink("resume"), { type: "RESUME" }, { changesState: true });
    }
    this.setStatus(session, "playing");
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    session.stopping = true;
    session.streamer?.stop();
    this.setStatus(session, "stopping");
    const link = this.link;
    if (!session.running || link === undefined) {
      this.endSession(session, { completed: false, reason: "HOST" });
      return;
    }
    await this.retrying(link, { type: "STOP" });
  }

  async emergencyStop(): Promise<void> {
    // The stop byte and the ESTOP frame are written before anything else runs (no await before them).
    const estop = this.sendEstop();
    const session = this.session;
    if (session) {
      session.aborted = true;
      session.streamer?.stop();
    }
    await estop;
    if (session) this.endSession(session, { completed: false, reason: "ESTOP" });
  }

  async setIntensity(percent: number): Promise<void> {
    const value = checkPercent(percent);
    const session = this.requireSession("set the intensity");
    const control = session.intensity;
    if (control.kind === "levels") throw noLiveIntensity(control, this.deviceInfo?.firmware ?? "1.0");
    control.percent = value;
    // The new percent also holds for the rest of the session (next chunks, after a reconnect);
    // GAIN is accepted in every device state, so it is sent whatever the session is doing.
    await this.sendGain(this.requireLink("set the intensity"), value);
  }

  /** Resolves when the current (or last) session ends; rejects when there has been none. */
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

  waitForEnd(): Promise<SessionEnd> {
    if (this.lastEnd === undefined) {
      return Promise.reject(new MassagerError(ErrorCode.SessionAborted, "no session has been played"));
    }
    return this.lastEnd;
  }

  /** Stops the motors (ESTOP), ends any session, closes the link. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelReconnectWait();
    this.stopHeartbeat();
    const estop = this.sendEstop();
    const session = this.session;
    if (session) {
      session.aborted = true;
      session.streamer?.stop();
    }
    await estop;
    if (session) {
      this.endSession(session, {
        completed: false,
        reason: "ESTOP",
        error: new MassagerError(ErrorCode.SessionAborted, "the session was stopped because the controller closed"),
      });
    }
    await this.dropLink(new MassagerError(ErrorCode.Disconnected, "the controller was closed"));
    this.setConnection("disconnected", {});
  }

  // ── connection ────────────────────────────────────────────────────────────

  private async openLink(): Promise<DeviceInfo> {
    const options = this.options;
    const transport = options.transport();
    await transport.open();
    if (this.closed) {
      // close() ran while the transport opened (a BLE scan takes seconds): no handshake after it.
      await transport.close().catch(() => {});
      throw new MassagerError(ErrorCode.Disconnected, "the controller was closed");
    }
    const link = new DeviceLink(transport, this.clock, options.requestTimeoutMs);
    link.on("frame", (frame) => this.onFrame(link, frame));
    link.on("lost", (error) => this.onLinkLost(link, error));
    try {
      const info = await handshake(link, options);
      // A device left running by a host that went away stops before anything else happens.
      await this.retrying(link, { type: "ESTOP" });
      await this.retrying(link, { type: "TELEM", periodMs: options.telemetryMs });
      // close() ran while this link was being set up: it had no link to stop, so drop this one
      // (else its heartbeat and transport outlive the controller and keep the process alive).
      if (this.closed) throw new MassagerError(ErrorCode.Disconnected, "the controller was closed");
      this.transport = transport;
      this.link = link;
      this.deviceInfo = info;
      this.emit("device", info);
      this.startHeartbeat(info);
      return info;
    } catch (error) {
      link.detach(asMassagerError(error));
      await transport.close().catch(() => {});
      throw error;
    }
  }

  private async dropLink(error: MassagerError): Promise<void> {
    const link = this.link;
    const transport = this.transport;
    this.link = undefined;
    this.transport = undefined;
    this.stopHeartbeat();
    link?.detach(error);
    await transport?.close().catch(() => {});
  }

  private onLinkLost(link: DeviceLink, error: MassagerError): void {
    if (link !== this.link || this.closed) return;
    // The device may be mute or garbled but still listening: tell it to stop before anything else.
    const estop = this.sendEstop();
    const session = this.session;
    if (session) {
      session.running = false;
      session.streamer?.stop();
      session.streamer = undefined;
    }
    this.guard(this.recover(error, estop), session);
  }

  /** The reconnect policy: see README, "Reconnect policy". */
  private async recover(cause: MassagerError, estop: Promise<void>): Promise<void> {
    // Give the stop a moment on the wire (a listening device answers at once) before the port closes.
    await Promise.race([estop, this.sleep(LOST_LINK_STOP_WAIT_MS)]);
    this.cancelReconnectWait();
    await this.dropLink(cause);
    const options = this.options;
    if (!options.reconnect) {
      this.giveUp(cause);
      return;
    }
    this.setConnection("reconnecting", { error: cause });
    const deadline = this.clock.now() + options.reconnectWindowMs;
    let delay = options.reconnectInitialDelayMs;
    let attempt = 0;
    let lastError = cause;
    while (!this.closed) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) break;
      await this.sleep(Math.min(delay, remaining));
      if (this.closed) return;
      delay = Math.min(delay * 2, options.reconnectMaxDelayMs);
      attempt++;
      this.setConnection("reconnecting", { attempt });
      try {
        await this.openLink();
      } catch (error) {
        lastError = asMassagerError(error);
        continue;
      }
      this.setConnection("connected", { attempt });
      await this.resumeAfterReconnect();
      return;
    }
    if (!this.closed) this.giveUp(lastError);
  }

  private giveUp(cause: MassagerError): void {
    const error = new MassagerError(
      ErrorCode.Disconnected,
      `lost the device and could not reconnect within ${this.options.reconnectWindowMs / 1000} s (${cause.message})`,
      { hint: "check the cable or the connection; the device's watchdog has stopped the motors", cause },
    );
    this.setConnection("disconnected", { error });
    const session = this.session;
    if (session) this.endSession(session, { completed: false, reason: "DISCONNECT", error });
    this.emitError(error);
  }

  private async resumeAfterReconnect(): Promise<void> {
    const session = this.session;
    if (session === undefined || session.ended) return;
    const rest = planFromPosition(session.plan, session.positionMs);
    if (rest.length === 0) {
      this.endSession(session, { completed: true, reason: "DONE" });
      return;
    }
    if (session.stopping) {
      this.endSession(session, { completed: false, reason: "HOST" });
      return;
    }
    if (session.paused) {
      session.pendingResume = rest;
      return;
    }
    await this.startPrograms(session, rest);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.reconnectWake = undefined;
        resolve();
      }, ms);
      this.reconnectWake = { timer, wake: resolve };
    });
  }

  private cancelReconnectWait(): void {
    const wait = this.reconnectWake;
    if (wait === undefined) return;
    this.reconnectWake = undefined;
    this.clock.clearTimer(wait.timer);
    wait.wake();
  }

  private startHeartbeat(info: DeviceInfo): void {
    this.stopHeartbeat();
    this.heartbeatMisses = 0;
    this.heartbeatTimeout = this.link?.timeoutErrorFor("PING");
    const period = this.options.heartbeatMs ?? Math.max(10, Math.floor(info.watchdogMs / 4));
    this.heartbeat = this.clock.setInterval(() => this.beat(), period);
  }

  private frameOverdue(): boolean {
    if (!this.session?.running) return false;
    const telemetryMs = this.options.telemetryMs;
    if (telemetryMs <= 0) return true;
    return this.clock.now() - this.lastFrameMs > Math.max(3 * telemetryMs, this.heartbeatPeriodMs());
  }

  private heartbeatPeriodMs(): number {
    return this.options.heartbeatMs ?? Math.max(10, Math.floor((this.deviceInfo?.watchdogMs ?? 1000) / 4));
  }

  private stopHeartbeat(): void {
    this.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * One heartbeat, on its own schedule whatever replies are outstanding (urgent: it never waits
   * behind a request whose reply was lost), so the device hears this host several times per
   * watchdog period. While a session runs and no ST/TM has come for a while, it asks STATUS
   * instead of PING: the answer carries the device's state, in case an ST frame was lost.
   */
  private beat(): void {
    const link = this.link;
    if (link === undefined) return;
    const timeoutError = this.heartbeatTimeout;
    const request: Request = this.frameOverdue() ? { type: "STATUS" } : { type: "PING" };
    link.request(request, timeoutError ? { timeoutError, urgent: true } : { urgent: true }).then(
      () => {
        this.heartbeatMisses = 0;
      },
      (error: unknown) => {
        if (link !== this.link) return;
        if (isMassagerError(error, ErrorCode.Timeout)) {
          if (++this.heartbeatMisses >= this.options.heartbeatFailures) {
            this.onLinkLost(
              link,
              new MassagerError(ErrorCode.Timeout, `${link.transport.description}: the device stopped answering`),
            );
          }
          return;
        }
        // A refused or garbled PING (the device answered), a cancelled one or a lost link (handled
        // by "lost") are not failures of ours; anything else is, and stops the motors.
        if (isMassagerError(error) && (error.code < 300 || error.code === ErrorCode.SessionAborted)) return;
        if (isMassagerError(error, ErrorCode.Disconnected)) return;
        void this.fail(error, this.session);
      },
    );
  }

  // ── sessions ──────────────────────────────────────────────────────────────

  private async startPrograms(session: ActiveSession, programs: PlannedProgram[]): Promise<void> {
    const [first, ...rest] = programs;
    if (first === undefined) return;
    session.queue = rest;
    if (session.mode === "stream") await this.startStream(session, first);
    else await this.runProgram(session, first);
    if (!session.paused && !session.stopping && !session.ended) this.setStatus(session, "playing");
  }

  private async runProgram(session: ActiveSession, planned: PlannedProgram): Promise<void> {
    const link = this.requireLink("upload");
    await uploadProgram(link, planned.program, {
      attempts: this.options.uploadAttempts,
      beforeFrame: () => this.checkNotAborted(session),
    });
    this.checkNotAborted(session);
    await this.gainForSession(link, session);
    session.current = planned;
    session.running = true; // before START: its ST PLAYING may arrive before the OK is handled
    this.lastFrameMs = this.clock.now();
    try {
      await this.retrying(
        link,
        { type: "START", ...this.sessionCaps(session, planned) },
        { changesState: true, beforeAttempt: () => this.checkNotAborted(session) },
      );
    } catch (error) {
      session.running = false;
      throw error;
    }
  }

  private async startStream(session: ActiveSession, planned: PlannedProgram): Promise<void> {
    const link = this.requireLink("stream");
    this.checkNotAborted(session);
    await this.gainForSession(link, session);
    session.current = planned;
    session.running = true;
    this.lastFrameMs = this.clock.now();
    try {
      await this.retrying(
        link,
        { type: "STREAM", ...this.sessionCaps(session, planned) },
        { changesState: true, beforeAttempt: () => this.checkNotAborted(session) },
      );
    } catch (error) {
      session.running = false;
      throw error;
    }
    const streamer = new SetpointStreamer(this.clock, planned.program, this.options.streamIntervalMs, {
      send: async (levels) => {
        await link.request({ type: "SET", vib: levels.vib, rot: levels.rot });
      },
      sample: (sample, positionMs) => {
        session.positionMs = planned.offsetMs + positionMs;
        this.noteStep(session, sample.step);
      },
      done: () => {
        session.completing = true;
        this.guard(
          this.retrying(link, { type: "STOP" }).then(() => undefined),
          session,
        );
      },
      failed: (error) => {
        if (!isMassagerError(error, ErrorCode.Disconnected)) this.guard(Promise.reject(error), session);
      },
    });
    session.streamer = streamer;
    streamer.start();
  }

  private sessionCaps(session: ActiveSession, planned: PlannedProgram) {
    const caps = session.compiled.caps;
    const seconds = Math.ceil(programDurationMs(planned.program) / 1000) + this.options.pauseAllowanceS;
    return {
      vibCap: toPermille(caps.vibration),
      rotCap: toPermille(caps.rotation),
      limitS: Math.max(1, Math.min(86_400, seconds)),
    };
  }

  private onFrame(link: DeviceLink, frame: MessageOf<"ST"> | MessageOf<"TM">): void {
    if (link !== this.link) return;
    this.lastFrameMs = this.clock.now();
    if (frame.type === "ST") {
      this.emit("deviceState", frame.state, frame.reason);
      this.onDeviceState(frame);
      return;
    }
    const session = this.session;
    let positionMs = frame.posMs;
    if (session?.running && session.current) {
      if (session.mode === "program") {
        session.positionMs = session.current.offsetMs + frame.posMs;
        this.noteStep(session, frame.step);
      }
      positionMs = session.positionMs;
    }
    this.emit("telemetry", {
      tMs: frame.tMs,
      vibration: frame.vib / 1000,
      rotation: frame.rot / 1000,
      positionMs,
      step: session?.step ?? frame.step,
    });
    if (session?.running) this.emit("progress", positionMs, session.compiled.durationMs);
  }

  private onDeviceState(frame: MessageOf<"ST">): void {
    const session = this.session;
    if (session === undefined || !session.running) return;
    switch (frame.state) {
      case "PLAYING":
      case "STREAMING":
        if (session.mode === "program") this.noteStep(session, frame.step);
        return;
      case "PAUSED":
        return;
      case "STOPPING":
        if (frame.reason !== "DONE" || session.queue.length === 0) this.setStatus(session, "stopping");
        return;
      case "IDLE":
        session.running = false;
        // Stopped by this host's ESTOP (an emergency stop, a failure): whoever stopped it ends the
        // session with its own reason, even when the stop byte's ST arrives before the ESTOP's reply.
        if (!(session.aborted && frame.reason === "ESTOP")) this.onDeviceIdle(session, frame.reason);
        return;
    }
  }

  private onDeviceIdle(session: ActiveSession, reason: StateReason): void {
    if (reason === "DONE") {
      const next = session.queue.shift();
      if (next === undefined) {
        session.positionMs = session.compiled.durationMs;
        this.emit("progress", session.positionMs, session.compiled.durationMs);
        this.endSession(session, { completed: true, reason: "DONE" });
        return;
      }
      this.guard(this.runProgram(session, next), session);
      return;
    }
    if (reason === "HOST" && session.completing) {
      session.positionMs = session.compiled.durationMs;
      this.endSession(session, { completed: true, reason: "DONE" });
      return;
    }
    if (reason === "HOST" || reason === "ESTOP") {
      this.endSession(session, { completed: false, reason });
      return;
    }
    const why: Record<string, string> = {
      WDOG: "the device's watchdog stopped the motors: it heard nothing from this host for too long",
      LIMIT: "the device's session limit was reached",
      FAULT: "the device stopped on a protocol fault",
      BOOT: "the device restarted mid-session (power or firmware fault)",
    };
    const error = new MassagerError(ErrorCode.SessionAborted, why[reason] ?? `the device stopped (${reason})`);
    this.endSession(session, { completed: false, reason, error });
    if (reason !== "LIMIT") this.emitError(error);
  }

  private noteStep(session: ActiveSession, stepIndex: number): void {
    if (session.step === stepIndex) return;
    session.step = stepIndex;
    const step = session.compiled.steps.find((s) => s.index === stepIndex);
    if (step) this.emit("step", step);
  }

  private endSession(session: ActiveSession, end: SessionEnd): void {
    if (session.ended) return;
    session.ended = true;
    session.running = false;
    session.streamer?.stop();
    if (this.session === session) this.session = undefined;
    this.setStatus(session, "ended");
    this.emit("ended", end);
    session.resolveEnd(end);
  }

  // ── safety ────────────────────────────────────────────────────────────────

  /**
   * The stop byte (a 1.1 device: it acts on it the moment it arrives), then ESTOP ahead of anything
   * queued. Both are written synchronously, before this returns its promise; it never rejects
   * (a dead link leaves the stop to the device's watchdog).
   */
  private async sendEstop(): Promise<void> {
    const link = this.link;
    if (link === undefined) return;
    // To a 1.0 device the byte would spoil the ESTOP frame behind it: only where ID advertises it.
    if (this.deviceInfo?.stopByte) link.transport.sendStopByte?.().catch(() => {});
    const reply = link.request({ type: "ESTOP" }, { urgent: true });
    link.cancelQueued(new MassagerError(ErrorCode.SessionAborted, "cancelled by an emergency stop"));
    try {
      await reply;
    } catch {
      // The motors stop anyway: the device's watchdog cuts them when the heartbeat stops.
    }
  }

  /** Before START/STREAM on a device with GAIN: the session's intensity, or 100 % (GAIN persists on the device). */
  private async gainForSession(link: DeviceLink, session: ActiveSession): Promise<void> {
    if (!this.deviceInfo?.gain) return;
    const control = session.intensity;
    await this.sendGain(link, control.kind === "gain" ? control.percent : 100, () => this.checkNotAborted(session));
  }

  private async sendGain(link: DeviceLink, percent: number, beforeAttempt?: () => void): Promise<void> {
    const gain = gainPermille(percent);
    await this.retrying(link, { type: "GAIN", vib: gain, rot: gain }, beforeAttempt ? { beforeAttempt } : {});
    this.emit("intensity", percent);
  }

  private retrying(
    link: DeviceLink,
    message: Request,
    options: { changesState?: boolean; beforeAttempt?: () => void } = {},
  ): ReturnType<DeviceLink["request"]> {
    return requestWithRetry(link, message, { attempts: this.options.requestAttempts, ...options });
  }

  /** Runs an internal task; any failure ends with the motors stopped and the session ended (ERROR). */
  private guard(task: Promise<void>, session: ActiveSession | undefined): void {
    task.catch((error: unknown) => this.fail(error, session));
  }

  private async fail(error: unknown, session: ActiveSession | undefined): Promise<void> {
    if (this.closed || session?.ended || (session?.aborted && isMassagerError(error, ErrorCode.SessionAborted))) return;
    const failure = asMassagerError(error);
    if (session) {
      session.aborted = true;
      session.streamer?.stop();
    }
    await this.sendEstop();
    if (session) this.endSession(session, { completed: false, reason: "ERROR", error: failure });
    this.emitError(failure);
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  private checkNotAborted(session: ActiveSession): void {
    if (session.aborted || session.ended || session.stopping) {
      throw new MassagerError(ErrorCode.SessionAborted, "the session was stopped");
    }
  }

  private requireConnected(what: string): DeviceInfo {
    if (this.link === undefined || this.deviceInfo === undefined) {
      throw new MassagerError(ErrorCode.NotConnected, `cannot ${what}: no device is connected`, {
        hint: "connect first",
      });
    }
    return this.deviceInfo;
  }

  private requireLink(what: string): DeviceLink {
    const link = this.link;
    if (link === undefined) {
      throw new MassagerError(ErrorCode.Disconnected, `cannot ${what}: the device is not connected`);
    }
    return link;
  }

  private requireSession(what: string): ActiveSession {
    const session = this.session;
    if (session === undefined) throw new MassagerError(ErrorCode.SessionAborted, `cannot ${what}: nothing is playing`);
    return session;
  }

  private setStatus(session: ActiveSession, status: SessionStatus): void {
    if (session.status === status) return;
    sessionLog("%s -> %s", session.status, status);
    session.status = status;
    this.emit("session", status);
  }

  private setConnection(status: ConnectionStatus, detail: ControllerEvents["connection"][1]): void {
    if (status === "reconnecting" || this.connectionStatus === "reconnecting") {
      reconnectLog(
        "%s%s%s",
        status,
        detail.attempt ? ` (attempt ${detail.attempt})` : "",
        detail.error ? `: ${detail.error.message}` : "",
      );
    }
    this.connectionStatus = status;
    this.emit("connection", status, detail);
  }

  /** Emits `error` only when someone listens: an unheard error event must not crash the host process. */
  private emitError(error: MassagerError): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }
}

/** How long a lost link's stop byte and ESTOP get on the wire before its transport closes, ms. */
const LOST_LINK_STOP_WAIT_MS = 100;

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

function toPermille(unit: number): number {
  return Math.max(0, Math.min(1000, Math.round(unit * 1000)));
}

function asMassagerError(error: unknown): MassagerError {
  if (error instanceof MassagerError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new MassagerError(ErrorCode.SessionAborted, `internal failure: ${text}`, { cause: error });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
