/**
 * Runs one session on the connected device: feeds events to the session machine
 * (session-machine.ts) and carries out its effects — upload and START, the setpoint stream,
 * the chunk queue, STOP, the stop on a failure — and keeps the session's position and step.
 * Which state the session is in is the machine's alone; this file does the I/O.
 */
import type { EventEmitter } from "node:events";
import type { MessageOf } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { FULL_SCALE, gainFromPercent } from "../../protocol/limits.ts";
import { programDurationMs } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import type { Clock } from "../clock.ts";
import { sessionLog } from "../log.ts";
import { asMassagerError, type Connection } from "./connection.ts";
import type { IntensityControl } from "./intensity.ts";
import type { FrameLink } from "./link.ts";
import type { ResolvedControllerOptions } from "./options.ts";
import {
  deviceRuns,
  INITIAL_STATE,
  mayProceed,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
  transition,
} from "./session-machine.ts";
import { type PlannedProgram, planFromPosition } from "./session-plan.ts";
import { SetpointStreamer } from "./streamer.ts";
import type { ControllerEvents, SessionEnd, SessionStatus } from "./types.ts";
import { uploadProgram } from "./upload.ts";

export interface SessionRunnerDeps {
  options: ResolvedControllerOptions;
  clock: Clock;
  connection: Connection;
  events: EventEmitter<ControllerEvents>;
  /** Emits `error` (only when someone listens). */
  raise(error: MassagerError): void;
  /** The session has ended: the controller forgets it. */
  released(runner: SessionRunner): void;
}

export class SessionRunner {
  private state: SessionState = INITIAL_STATE;
  private statusValue: SessionStatus = "idle";
  /** Programs still to play after the current one. */
  private queue: PlannedProgram[] = [];
  private current: PlannedProgram | undefined;
  private positionMs = 0;
  private stepValue: number | undefined;
  private streamer: SetpointStreamer | undefined;
  private resolveEnd: (end: SessionEnd) => void = () => {};
  readonly end: Promise<SessionEnd>;

  constructor(
    readonly compiled: CompiledSession,
    private readonly mode: "program" | "stream",
    /** Every program of the session with its offset: what a reconnect resumes from. */
    private readonly plan: readonly PlannedProgram[],
    readonly intensity: IntensityControl,
    private readonly deps: SessionRunnerDeps,
  ) {
    this.end = new Promise<SessionEnd>((resolve) => {
      this.resolveEnd = resolve;
    });
  }

  get status(): SessionStatus {
    return this.statusValue;
  }

  get step(): number | undefined {
    return this.stepValue;
  }

  /** True while the device plays this session: its ST and TM frames concern it. */
  get runs(): boolean {
    return deviceRuns(this.state);
  }

  /** Uploads (or opens the stream) and starts; on a failure the motors stop and the session ends (ERROR). */
  async start(): Promise<void> {
    this.setStatus("uploading");
    try {
      await this.startPrograms(this.plan);
    } catch (error) {
      await this.fail(error);
      throw error;
    }
  }

  async pause(): Promise<void> {
    if (this.state.name === "playing") {
      if (this.mode === "stream") this.streamer?.pause();
      else await this.deps.connection.retrying(this.requireLink("pause"), { type: "PAUSE" }, { changesState: true });
    }
    await this.dispatch({ type: "pause" });
  }

  async resume(): Promise<void> {
    const state = this.state;
    if (state.name === "paused" && state.resume === "device") {
      if (this.mode === "stream") this.streamer?.resume();
      else await this.deps.connection.retrying(this.requireLink("resume"), { type: "RESUME" }, { changesState: true });
    }
    try {
      await this.dispatch({ type: "resume" });
    } catch (error) {
      await this.fail(error);
      throw error;
    }
  }

  stop(): Promise<void> {
    return this.dispatch({ type: "stop" });
  }

  /** An emergency stop or close(): `estop` is the stop byte + ESTOP already written. */
  async abort(why: "estop" | "close", estop: Promise<void>): Promise<void> {
    await this.dispatch({ type: why });
    await estop;
    await this.dispatch({ type: "estopDone" });
  }

  linkLost(): void {
    this.guard(this.dispatch({ type: "linkLost" }));
  }

  linkBack(): Promise<void> {
    const remaining = planFromPosition(this.plan, this.positionMs).length > 0;
    return this.dispatch({ type: "linkBack", remaining });
  }

  gaveUp(error: MassagerError): void {
    this.guard(this.dispatch({ type: "gaveUp", error }));
  }

  /** Any failure of the session's work: the motors stop and the session ends (ERROR). Never rejects. */
  async fail(error: unknown): Promise<void> {
    if (this.deps.connection.closed) return;
    await this.dispatch({ type: "failed", error: asMassagerError(error) }).catch(() => {});
  }

  /** Before START/STREAM on a device with GAIN: the session's intensity, or 100 % (GAIN persists on the device). */
  async sendGain(link: FrameLink, percent: number, beforeAttempt?: () => void): Promise<void> {
    const gain = gainFromPercent(percent);
    await this.deps.connection.retrying(
      link,
      { type: "GAIN", vib: gain, rot: gain },
      beforeAttempt ? { beforeAttempt } : {},
    );
    this.deps.events.emit("intensity", percent);
  }

  onDeviceState(frame: MessageOf<"ST">): void {
    if (!this.runs) return;
    if (this.mode === "program" && (frame.state === "PLAYING" || frame.state === "STREAMING")) {
      this.noteStep(frame.step);
    }
    this.guard(
      this.dispatch({ type: "device", state: frame.state, reason: frame.reason, hasNext: this.queue.length > 0 }),
    );
  }

  /** The session position a TM frame stands for (the device's own when the session does not run). */
  onTelemetry(frame: MessageOf<"TM">): number {
    if (!this.runs || this.current === undefined) return frame.posMs;
    if (this.mode === "program") {
      this.positionMs = this.current.offsetMs + frame.posMs;
      this.noteStep(frame.step);
    }
    return this.positionMs;
  }

  // ── the machine ──────────────────────────────────────────────────────────

  /** One event through the machine; resolves when the effects' own work (requests, uploads) is done. */
  private dispatch(event: SessionEvent): Promise<void> {
    const before = this.state;
    const { state, effects } = transition(before, event);
    if (state !== before && state.name !== before.name)
      sessionLog("%s -(%s)-> %s", before.name, event.type, state.name);
    this.state = state;
    const tasks: Promise<void>[] = [];
    for (const effect of effects) {
      const task = this.run(effect);
      if (task) tasks.push(task);
    }
    return tasks.length === 0 ? Promise.resolve() : Promise.all(tasks).then(() => undefined);
  }

  private run(effect: SessionEffect): Promise<void> | undefined {
    switch (effect.type) {
      case "status":
        this.setStatus(effect.status);
        return undefined;
      case "sendStop": {
        const link = this.deps.connection.link;
        return link ? this.deps.connection.retrying(link, { type: "STOP" }).then(() => undefined) : undefined;
      }
      case "pauseDevice":
        if (this.mode === "stream") {
          this.streamer?.pause();
          return undefined;
        }
        return this.deps.connection
          .retrying(this.requireLink("pause"), { type: "PAUSE" }, { changesState: true })
          .then(() => undefined);
      case "startNext": {
        const next = this.queue.shift();
        return next ? this.runProgram(next) : undefined;
      }
      case "startRest":
        return this.startPrograms(planFromPosition(this.plan, this.positionMs));
      case "stopStreamer":
        this.streamer?.stop();
        this.streamer = undefined;
        return undefined;
      case "sendEstop":
        return this.deps.connection.sendEstop().then(() => this.dispatch({ type: "estopDone" }));
      case "finish":
        this.positionMs = this.compiled.durationMs;
        if (effect.progress) this.deps.events.emit("progress", this.positionMs, this.compiled.durationMs);
        return undefined;
      case "end":
        this.streamer?.stop();
        this.deps.released(this);
        this.setStatus("ended");
        this.deps.events.emit("ended", effect.end);
        this.resolveEnd(effect.end);
        return undefined;
      case "raise":
        this.deps.raise(effect.error);
        return undefined;
    }
  }

  // ── I/O ──────────────────────────────────────────────────────────────────

  private async startPrograms(programs: readonly PlannedProgram[]): Promise<void> {
    const [first, ...rest] = programs;
    if (first === undefined) return;
    this.queue = rest;
    if (this.mode === "stream") await this.startStream(first);
    else await this.runProgram(first);
  }

  private async runProgram(planned: PlannedProgram): Promise<void> {
    const link = this.requireLink("upload");
    await uploadProgram(link, planned.program, {
      attempts: this.deps.options.uploadAttempts,
      beforeFrame: () => this.checkMayProceed(),
    });
    await this.sendStart(link, planned, "START");
    await this.dispatch({ type: "started" });
  }

  private async startStream(planned: PlannedProgram): Promise<void> {
    const link = this.requireLink("stream");
    await this.sendStart(link, planned, "STREAM");
    const streamer = new SetpointStreamer(this.deps.clock, planned.program, this.deps.options.streamIntervalMs, {
      send: async (levels) => {
        await link.request({ type: "SET", vib: levels.vib, rot: levels.rot });
      },
      sample: (sample, positionMs) => {
        this.positionMs = planned.offsetMs + positionMs;
        this.noteStep(sample.step);
      },
      done: () => this.guard(this.dispatch({ type: "streamDone" })),
      failed: (error) => {
        if (!isMassagerError(error, ErrorCode.Disconnected)) this.guard(Promise.reject(error));
      },
    });
    this.streamer = streamer;
    streamer.start();
    await this.dispatch({ type: "started" });
  }

  /** The session's GAIN, then START (or STREAM) with the session's caps and limit. */
  private async sendStart(link: FrameLink, planned: PlannedProgram, type: "START" | "STREAM"): Promise<void> {
    const connection = this.deps.connection;
    this.checkMayProceed();
    await this.gainForSession(link);
    this.current = planned;
    // Before START: its ST PLAYING may arrive before the OK is handled.
    await this.dispatch({ type: "sendingStart" });
    connection.noteSessionStart();
    await connection.retrying(
      link,
      { type, ...this.sessionCaps(planned) },
      { changesState: true, beforeAttempt: () => this.checkMayProceed() },
    );
  }

  private async gainForSession(link: FrameLink): Promise<void> {
    if (!this.deps.connection.info?.gain) return;
    const control = this.intensity;
    await this.sendGain(link, control.kind === "gain" ? control.percent : 100, () => this.checkMayProceed());
  }

  private sessionCaps(planned: PlannedProgram) {
    const caps = this.compiled.caps;
    const seconds = Math.ceil(programDurationMs(planned.program) / 1000) + this.deps.options.pauseAllowanceS;
    return {
      vibCap: toPermille(caps.vibration),
      rotCap: toPermille(caps.rotation),
      limitS: Math.max(1, Math.min(86_400, seconds)),
    };
  }

  private noteStep(stepIndex: number): void {
    if (this.stepValue === stepIndex) return;
    this.stepValue = stepIndex;
    const step = this.compiled.steps.find((s) => s.index === stepIndex);
    if (step) this.deps.events.emit("step", step);
  }

  /** Runs internal work; any failure ends with the motors stopped and the session ended (ERROR). */
  private guard(task: Promise<void>): void {
    task.catch((error: unknown) => this.fail(error));
  }

  private checkMayProceed(): void {
    if (!mayProceed(this.state)) throw new MassagerError(ErrorCode.SessionAborted, "the session was stopped");
  }

  private requireLink(what: string): FrameLink {
    const link = this.deps.connection.link;
    if (link === undefined) {
      throw new MassagerError(ErrorCode.Disconnected, `cannot ${what}: the device is not connected`);
    }
    return link;
  }

  private setStatus(status: SessionStatus): void {
    if (this.statusValue === status) return;
    sessionLog("%s -> %s", this.statusValue, status);
    this.statusValue = status;
    this.deps.events.emit("session", status);
  }
}

function toPermille(unit: number): number {
  return Math.max(0, Math.min(FULL_SCALE, Math.round(unit * FULL_SCALE)));
}
