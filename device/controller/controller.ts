/**
 * The controller: connects to a massager over any Transport, checks it, plays compiled
 * sessions on it and keeps it safe. A library: it prints nothing and installs no signal
 * handlers; whoever owns the process calls close() on the way out.
 *
 *   play() ─► plan (chunks that fit) ─► upload + START ─► device plays, sends ST/TM
 *                                        (or STREAM + SET from the host)      │
 *   events ◄── session / step / progress / telemetry / ended ◄───────────────┘
 *   heartbeat: PING every watchdogMs/4 · lost link: reconnect with backoff (README, "Reconnect policy")
 */
import { EventEmitter } from "node:events";
import type { MessageOf, StateReason } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { programDurationMs } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { type Clock, RealClock, type TimerHandle } from "../clock.ts";
import type { Transport } from "../transport/transport.ts";
import { handshake } from "./handshake.ts";
import { DeviceLink } from "./link.ts";
import { CONTROLLER_DEFAULTS, type ControllerOptions, type ResolvedControllerOptions } from "./options.ts";
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
    const plan = mode === "program" ? planPrograms(compiled, info) : [{ program: compiled.program, offsetMs: 0 }];
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
      await this.requireLink("pause").request({ type: "PAUSE" });
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
    else if (session.running) await this.requireLink("resume").request({ type: "RESUME" });
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
    await link.request({ type: "STOP" });
  }

  async emergencyStop(): Promise<void> {
    const session = this.session;
    if (session) {
      session.aborted = true;
      session.streamer?.stop();
    }
    await this.sendEstop();
    if (session) this.endSession(session, { completed: false, reason: "ESTOP" });
  }

  /** Resolves when the current (or last) session ends; rejects when there has been none. */
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
    const session = this.session;
    if (session) {
      session.aborted = true;
      session.streamer?.stop();
    }
    await this.sendEstop();
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
      await link.request({ type: "ESTOP" });
      await link.request({ type: "TELEM", periodMs: options.telemetryMs });
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
    const session = this.session;
    if (session) {
      session.running = false;
      session.streamer?.stop();
      session.streamer = undefined;
    }
    this.guard(this.recover(error), session);
  }

  /** The reconnect policy: see README, "Reconnect policy". */
  private async recover(cause: MassagerError): Promise<void> {
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

  private stopHeartbeat(): void {
    this.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
  }

  private beat(): void {
    const link = this.link;
    if (link === undefined || !link.idle) return; // frames already flowing feed the watchdog
    const timeoutError = this.heartbeatTimeout;
    link.request({ type: "PING" }, timeoutError ? { timeoutError } : {}).then(
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
    session.current = planned;
    session.running = true; // before START: its ST PLAYING may arrive before the OK is handled
    try {
      await link.request({ type: "START", ...this.sessionCaps(session, planned) });
    } catch (error) {
      session.running = false;
      throw error;
    }
  }

  private async startStream(session: ActiveSession, planned: PlannedProgram): Promise<void> {
    const link = this.requireLink("stream");
    this.checkNotAborted(session);
    session.current = planned;
    session.running = true;
    try {
      await link.request({ type: "STREAM", ...this.sessionCaps(session, planned) });
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
          link.request({ type: "STOP" }).then(() => undefined),
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
        this.onDeviceIdle(session, frame.reason);
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

  /** ESTOP ahead of anything queued; never rejects (a dead link leaves it to the device's watchdog). */
  private async sendEstop(): Promise<void> {
    const link = this.link;
    if (link === undefined) return;
    link.cancelQueued(new MassagerError(ErrorCode.SessionAborted, "cancelled by an emergency stop"));
    try {
      await link.request({ type: "ESTOP" }, { urgent: true });
    } catch {
      // The motors stop anyway: the device's watchdog cuts them when the heartbeat stops.
    }
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
    session.status = status;
    this.emit("session", status);
  }

  private setConnection(status: ConnectionStatus, detail: ControllerEvents["connection"][1]): void {
    this.connectionStatus = status;
    this.emit("connection", status, detail);
  }

  /** Emits `error` only when someone listens: an unheard error event must not crash the host process. */
  private emitError(error: MassagerError): void {
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }
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
