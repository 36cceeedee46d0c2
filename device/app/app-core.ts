/**
 * The app's state on the Node side: the connected device, the session playing, the stores.
 * Both the Electron main process and `massager serve` own one, and expose it through the
 * API object in app-api.ts. It prints nothing and installs no handlers; its owner calls close().
 *
 *   UI ──api──► AppCore ──play/pause/stop──► Controller ──► device
 *   UI ◄─events── AppCore ◄──telemetry, state, progress, ended──┘
 */
import { EventEmitter } from "node:events";
import { compileSession, sessionTimeline } from "../../patterns/index.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Pattern } from "../../protocol/pattern.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { type Clock, RealClock, type TimerHandle } from "../clock.ts";
import type { Controller } from "../controller/controller.ts";
import { deviceLimitsOf } from "../controller/device-info.ts";
import type { ConnectionStatus } from "../controller/types.ts";
import type {
  ApiError,
  AppEvent,
  AppStatus,
  FlashProgress,
  FlashRequest,
  MotorTestProgress,
  SessionEndSummary,
  SessionRequest,
  Settings,
  Timeline,
} from "./contract.ts";
import { createDeviceTools, type DeviceTools } from "./device-tools.ts";
import { IntensityMemory } from "./intensity-memory.ts";
import { Library } from "./library.ts";
import type { DeviceLister } from "./list-devices.ts";
import { checkDeletable, checkSavable } from "./pattern-rules.ts";
import { SerialQueue } from "./serial-queue.ts";
import { removeStaleTemps, type SetAside } from "./store/atomic-file.ts";
import { CustomPatternStore } from "./store/custom-patterns.ts";
import { HistoryStore } from "./store/history.ts";
import { SettingsStore } from "./store/settings.ts";

/** A connected device as the app holds it: the controller, and what only its connector knows. */
export interface ConnectedDevice {
  readonly controller: Controller;
  /** Names the device for messages, e.g. `Simulated massager` or `serial:/dev/ttyUSB0`. */
  readonly description: string;
  /** The outputs the motors apply right now, 0..1 and -1..1, where the device can be read directly (the simulator). */
  motorLevels?(): { vibration: number; rotation: number };
  /** Stops the motors, closes the controller and releases what the spec opened; safe to call twice. */
  close(): Promise<void>;
}

/** Opens a device from a `--device` spec; rejects with a MassagerError naming the fix. */
export type DeviceConnector = (spec: string) => Promise<ConnectedDevice>;

export interface AppCoreOptions {
  /** Where settings, history and the person's patterns live. */
  dataDir: string;
  connect: DeviceConnector;
  listDevices: DeviceLister;
  /** Looks for massagers in Bluetooth range; absent where there is no BLE transport. */
  scanBluetooth?: DeviceLister;
  /**
   * The stop timeout and the status-push pace run on it: the clock the connector's controllers
   * use, so a virtual one plays a session in virtual time. Default: RealClock.
   */
  clock?: Clock;
  /** Wall-clock time for history dates. Default: `new Date()`. */
  now?: () => Date;
  /** Most points the planned-program chart gets (one per 100 ms below that). Default 20000. */
  chartPoints?: number;
  /** The motor test and the flasher (default: createDeviceTools() with the default device schemes). */
  tools?: DeviceTools;
}

/** What flashFirmware resolves to: the new firmware's answer, and whether the app connected to it. */
export interface FlashResult {
  bytes: number;
  firmware: string;
  pins?: string;
  connected: boolean;
}

export interface SessionPlan {
  session: CompiledSession;
  /** What was asked, after the person's maximums were applied. */
  minutes: number;
  intensity: number;
  timeline: Timeline;
}

/** How long a soft stop may take before the app cuts the outputs at once. */
const STOP_TIMEOUT_MS = 2000;
/** Progress is pushed at most this often; telemetry carries the fine-grained position. */
const STATUS_INTERVAL_MS = 200;

export function toApiError(error: unknown): ApiError {
  if (error instanceof MassagerError) return { code: error.code, message: error.message, ...hintOf(error) };
  return { code: 0, message: error instanceof Error ? error.message : String(error) };
}

function hintOf(error: MassagerError): { hint?: string } {
  return error.hint === undefined ? {} : { hint: error.hint };
}

export class AppCore extends EventEmitter<{ event: [AppEvent] }> {
  readonly library = new Library();
  readonly history: HistoryStore;
  readonly settings: SettingsStore;
  readonly patterns: CustomPatternStore;
  /** The last intensity used for each routine, offered again next time. */
  readonly intensities: IntensityMemory;
  private intensityChain: Promise<void> = Promise.resolve();
  private link: ConnectedDevice | undefined;
  private status: AppStatus = {
    device: { spec: "", description: "no device", connection: "disconnected" },
    session: undefined,
    applied: { vibration: 0, rotation: 0 },
    lastEnd: undefined,
  };
  private playing: { plan: SessionPlan; request: SessionRequest; startedAt: Date; lastPositionMs: number } | undefined;
  private lastStatusPush = Number.NEGATIVE_INFINITY;
  private readonly clock: Clock;
  /** Files set aside since the app started, for the terminal and the app's library screen. */
  readonly notices: string[] = [];
  private closed = false;
  /** Connect, start, stop and close run one at a time, so exactly one party owns the device. */
  private readonly queue = new SerialQueue();
  /** Bumped by every stop, emergency stop and close: a start asked for before it never plays. */
  private stopEpoch = 0;
  /** The motor test asked for or running: every stop aborts it. */
  private motorTest: AbortController | undefined;
  /** Flashing under way: only closing the app aborts it (Stop would leave a board without firmware, its motors are off anyway). */
  private flashing: AbortController | undefined;
  private toolsMade: DeviceTools | undefined;

  constructor(private readonly options: AppCoreOptions) {
    super();
    this.clock = options.clock ?? new RealClock();
    const setAside = (event: SetAside) => {
      this.notices.push(
        `${event.file} was broken (${event.why}); it is kept as ${event.keptAs} and the app started afresh`,
      );
    };
    this.history = new HistoryStore(options.dataDir, setAside);
    this.settings = new SettingsStore(options.dataDir, setAside);
    this.patterns = new CustomPatternStore(options.dataDir);
    this.intensities = new IntensityMemory(options.dataDir);
  }

  /**
   * Removes what killed saves left behind, reads every store once (a broken file is set aside,
   * see store/atomic-file.ts) and loads the person's patterns. Resolves with what the person
   * should hear of once: files set aside. Call once before serving the UI.
   */
  async init(): Promise<string[]> {
    await removeStaleTemps(this.options.dataDir);
    await removeStaleTemps(this.patterns.folder);
    for (const read of [() => this.settings.get(), () => this.history.list()]) {
      await read().catch((error: unknown) => this.notices.push((error as Error).message));
    }
    await this.reloadPatterns();
    return [...this.notices];
  }

  async reloadPatterns(): Promise<string[]> {
    const { patterns, problems } = await this.patterns.list();
    this.library.setCustom(patterns);
    const shadowing = this.library
      .shadowing()
      .map((id) => `patterns/${id}.json has the id of a built-in, so it is not used: delete it, or save it as a copy`);
    return [...problems, ...shadowing];
  }

  /** Saves one of the person's patterns (never under a built-in's id, pattern-rules.ts) and reloads the library. */
  async savePattern(pattern: Pattern): Promise<Pattern> {
    checkSavable(this.library, pattern.id);
    const saved = await this.patterns.save(pattern);
    await this.reloadPatterns();
    return saved;
  }

  /** Deletes one of the person's patterns (a file with a built-in's id too) and reloads the library. */
  async deletePattern(id: string): Promise<void> {
    checkDeletable(this.library, id);
    await this.patterns.remove(id);
    await this.reloadPatterns();
  }

  getStatus(): AppStatus {
    const motors = this.link?.motorLevels?.();
    return motors ? { ...this.status, device: { ...this.status.device, motors } } : this.status;
  }

  listDevices() {
    return this.options.listDevices();
  }

  async scanBluetooth(): Promise<Awaited<ReturnType<DeviceLister>>> {
    if (!this.options.scanBluetooth) return { choices: [], problems: ["Bluetooth is not available in this build."] };
    return this.options.scanBluetooth();
  }

  /** Connects to `spec`, closing (and so stopping) the current device first. */
  connect(spec: string): Promise<AppStatus> {
    return this.queue.run(() => this.connectNow(spec));
  }

  private async connectNow(spec: string): Promise<AppStatus> {
    if (this.closed) throw new MassagerError(ErrorCode.SessionAborted, "the app is closing");
    if (this.playing) {
      throw new MassagerError(ErrorCode.BadState, "a session is playing", { hint: "stop the session first" });
    }
    await this.disconnectNow();
    this.update({ device: { spec, description: spec, connection: "connecting" } });
    try {
      const link = await this.options.connect(spec);
      if (this.closed) {
        await link.close();
        throw new MassagerError(ErrorCode.SessionAborted, "the app is closing");
      }
      this.link = link;
      this.attach(link, spec);
      this.update({
        device: { spec, description: link.description, connection: link.controller.connection, ...infoOf(link) },
      });
      return this.status;
    } catch (error) {
      this.update({ device: { spec, description: spec, connection: "disconnected", error: toApiError(error) } });
      throw error;
    }
  }

  /** The connected device, connecting to the default one first when there is none (inside the queue). */
  private async device(): Promise<ConnectedDevice> {
    if (this.link) return this.link;
    await this.connectNow((await this.settings.get()).defaultDevice);
    if (!this.link) throw new MassagerError(ErrorCode.Disconnected, "no device is connected");
    return this.link;
  }

  /** Compiles a request against the person's maximums and the device's limits, with the chart of the plan. */
  async plan(request: SessionRequest): Promise<SessionPlan> {
    const settings = await this.settings.get();
    const minutes = Math.min(request.minutes, settings.maxSessionMinutes);
    const source = this.library.source(request.sourceId, request.stepMinutes);
    if (!source) {
      throw new MassagerError(ErrorCode.PatternNotFound, `no pattern or routine "${request.sourceId}"`, {
        hint: "pick one from the library",
      });
    }
    const intensity = Math.min(request.intensity, settings.maxIntensity);
    const info = this.link?.controller.info;
    const session = compileSession(
      source,
      {
        minutes,
        intensity,
        personalMax: settings.maxIntensity / 100,
        stepCue: settings.stepCue,
        ...(info ? { device: deviceLimitsOf(info) } : {}),
      },
      this.library.pattern,
    );
    const stepMs = Math.max(100, Math.ceil(session.durationMs / (this.options.chartPoints ?? 20_000)));
    const timeline = sessionTimeline(session, stepMs);
    return { session, minutes, intensity, timeline };
  }

  /** The chart of a pattern being edited, at full intensity under its pressure cap. */
  preview(pattern: Pattern, minutes: number): Timeline {
    const session = compileSession(pattern, { minutes, intensity: 100 }, (id) =>
      id === pattern.id ? pattern : this.library.pattern(id),
    );
    return sessionTimeline(session, Math.max(20, Math.ceil(session.durationMs / 400)));
  }

  /** The wall-clock time that dates history entries and the streak (the injectable `now` option). */
  wallTime(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Starts a session; refused while one plays, and never plays when a stop came after it was asked for. */
  start(request: SessionRequest): Promise<SessionPlan> {
    const epoch = this.stopEpoch;
    return this.queue.run(() => this.startNow(request, epoch));
  }

  private async startNow(request: SessionRequest, epoch: number): Promise<SessionPlan> {
    const stoppedSince = () => {
      if (this.closed) return new MassagerError(ErrorCode.SessionAborted, "the app is closing");
      if (epoch !== this.stopEpoch) {
        return new MassagerError(ErrorCode.SessionAborted, "stopped before the session started", {
          hint: "start it again",
        });
      }
      return undefined;
    };
    if (this.playing) {
      throw new MassagerError(ErrorCode.BadState, "a session is already playing", { hint: "stop it first" });
    }
    const before = stoppedSince();
    if (before) throw before;
    const link = await this.device();
    const during = stoppedSince();
    if (during) throw during;
    const plan = await this.plan(request);
    const startedAt = this.wallTime();
    this.playing = { plan, request, startedAt, lastPositionMs: 0 };
    const { session } = plan;
    this.update({
      lastEnd: undefined,
      session: {
        request,
        sourceId: session.sourceId,
        name: session.name,
        status: "uploading",
        durationMs: session.durationMs,
        positionMs: 0,
        intensity: plan.intensity,
        step: session.steps[0],
        steps: session.steps,
        startedAt: startedAt.toISOString(),
      },
    });
    void this.intensities.remember(session.sourceId, plan.intensity).catch(() => undefined);
    try {
      await link.controller.play(session);
    } catch (error) {
      // play() failing leaves nothing playing: the controller has already stopped the outputs.
      // An emergency stop during the upload is the person stopping it, not an error.
      const stopped = stoppedSince();
      await this.finish(
        stopped
          ? { completed: false, reason: "HOST" }
          : { completed: false, reason: "ERROR", error: toApiError(error) },
      );
      throw stopped ?? error;
    }
    return plan;
  }

  async pause(): Promise<void> {
    await this.requireLink().controller.pause();
  }

  async resume(): Promise<void> {
    await this.requireLink().controller.resume();
  }

  /** Soft stop (a ramp to zero); falls back to an emergency stop when the device does not answer in time. */
  stop(): Promise<void> {
    this.stopEpoch++;
    this.motorTest?.abort();
    // A program still uploading has not moved anything yet: cut it now rather than after it
    // starts (the start then fails as stopped, and nothing ever ran).
    if (this.playing && this.status.session?.status === "uploading")
      void this.link?.controller.emergencyStop().catch(() => {});
    return this.queue.run(() => this.stopNow());
  }

  private async stopNow(): Promise<void> {
    const link = this.link;
    if (!link) return;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = this.clock.setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS);
    });
    try {
      const result = await Promise.race([link.controller.stop().then(() => "stopped" as const), timeout]);
      if (result === "timeout") await link.controller.emergencyStop();
    } catch {
      await link.controller.emergencyStop();
    } finally {
      this.clock.clearTimer(timer);
    }
  }

  /** Straight to the device, past the queue: it must reach the motors whatever else is under way. */
  async emergencyStop(): Promise<void> {
    this.stopEpoch++;
    this.motorTest?.abort();
    await this.link?.controller.emergencyStop();
  }

  /**
   * Live intensity: the person's percent, never above their maximum; resolves once the device
   * applied it. Calls run in the order they were made, so the device ends at the last one.
   */
  setIntensity(percent: number): Promise<number> {
    const run = this.intensityChain.then(() => this.applyIntensity(percent));
    this.intensityChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async applyIntensity(percent: number): Promise<number> {
    const playing = this.playing;
    const link = this.link;
    if (!playing || !link) {
      throw new MassagerError(ErrorCode.BadState, "no session is playing", { hint: "start a session first" });
    }
    const settings = await this.settings.get();
    const capped = Math.max(0, Math.min(Math.round(percent), settings.maxIntensity));
    await link.controller.setIntensity(capped);
    playing.plan = { ...playing.plan, intensity: capped };
    if (this.status.session) this.update({ session: { ...this.status.session, intensity: capped } });
    if (capped > 0) await this.intensities.remember(playing.plan.session.sourceId, capped);
    return capped;
  }

  /**
   * The motor test (as `massager test-motors`) on the connected device, or the default one: the
   * app lets go of the device, the test runs on a link of its own, then the app connects again.
   * Refused while a session plays; every stop (Stop, Esc, emergency stop, closing) ends it at
   * once with the motors off. Resolves `completed: false` when stopped.
   */
  testMotors(): Promise<{ completed: boolean }> {
    if (this.motorTest) {
      return Promise.reject(
        new MassagerError(ErrorCode.BadState, "the motor test is already running", { hint: "wait for it or stop it" }),
      );
    }
    const abort = new AbortController();
    this.motorTest = abort;
    return this.queue
      .run(() => this.testMotorsNow(abort))
      .finally(() => {
        if (this.motorTest === abort) this.motorTest = undefined;
      });
  }

  private async testMotorsNow(abort: AbortController): Promise<{ completed: boolean }> {
    this.refuseDuringSession("test the motors");
    if (abort.signal.aborted) return { completed: false };
    const spec = this.link ? this.status.device.spec : (await this.settings.get()).defaultDevice;
    const device = this.link?.description ?? spec;
    await this.disconnectNow();
    const tell = (progress: Omit<MotorTestProgress, "device">) => {
      const test = { device, ...progress };
      this.status = { ...this.status, motorTest: test };
      this.emit("event", { type: "motorTest", test });
    };
    let reported: Pick<MotorTestProgress, "firmware" | "pins"> = {};
    tell({ phase: "starting" });
    try {
      const { pinsLine } = await import("../hw/motor-test.ts");
      await this.tools.testMotors(spec, {
        signal: abort.signal,
        events: {
          device: ({ firmware, pins }) => {
            reported = { firmware, pins: pinsLine(pins) };
          },
          step: (step, index, count) =>
            tell({
              phase: "step",
              ...reported,
              step: { index, count, name: step.name, expect: step.expect, ms: step.ms },
            }),
        },
      });
      tell({ phase: "done", ...reported });
      return { completed: true };
    } catch (error) {
      if (abort.signal.aborted) {
        tell({ phase: "stopped", ...reported });
        return { completed: false };
      }
      tell({ phase: "failed", ...reported, error: toApiError(error) });
      throw error;
    } finally {
      // Back to the device the person had; a failure to reach it shows on the Device screen.
      if (!this.closed) await this.connectNow(spec).catch(() => undefined);
    }
  }

  /**
   * Writes the prebuilt massager firmware to the Arduino on `request.port` with the same
   * progress and errors as `massager flash`, then connects to it. Refused while a session plays.
   */
  flashFirmware(request: FlashRequest): Promise<FlashResult> {
    return this.queue.run(() => this.flashNow(request));
  }

  private async flashNow(request: FlashRequest): Promise<FlashResult> {
    if (this.closed) throw new MassagerError(ErrorCode.SessionAborted, "the app is closing");
    this.refuseDuringSession("flash firmware");
    // The port may be the connected device's, and one party owns a port at a time.
    await this.disconnectNow();
    const abort = new AbortController();
    this.flashing = abort;
    const tell = (flash: Omit<FlashProgress, "port">) =>
      this.emit("event", { type: "flash", flash: { port: request.port, ...flash } });
    tell({ phase: "starting", done: 0, total: 0 });
    try {
      const outcome = await this.tools.flash(request, {
        signal: abort.signal,
        onProgress: (phase, done, total) => tell({ phase, done, total }),
      });
      const answered = { firmware: outcome.firmware, ...(outcome.pins ? { pins: outcome.pins } : {}) };
      tell({ phase: "reconnecting", done: outcome.bytes, total: outcome.bytes, ...answered });
      // The board is flashed and answered either way; a connection that fails (another program
      // took the port) is said beside it, and shows on the Device screen as any failed connect.
      const connected = await this.connectNow(`serial:${request.port}`).then(
        () => undefined,
        (error: unknown) => ({ error: toApiError(error) }),
      );
      tell({ phase: "done", done: outcome.bytes, total: outcome.bytes, ...answered, ...connected });
      return { bytes: outcome.bytes, ...answered, connected: connected === undefined };
    } catch (error) {
      tell({ phase: "failed", done: 0, total: 0, error: toApiError(error) });
      throw error;
    } finally {
      this.flashing = undefined;
    }
  }

  private refuseDuringSession(what: string): void {
    if (this.playing) {
      throw new MassagerError(ErrorCode.BadState, `a session is playing: cannot ${what} now`, {
        hint: `stop the session first, then ${what}`,
      });
    }
  }

  private get tools(): DeviceTools {
    this.toolsMade ??= this.options.tools ?? createDeviceTools();
    return this.toolsMade;
  }

  /** Stops the motors and closes the device. For window close, app quit and server shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopEpoch++;
    this.motorTest?.abort();
    this.flashing?.abort();
    // Motors first, past the queue; then the orderly close in turn, bounded: a connect stuck in a
    // handshake must not keep a quitting app alive (it closes its link itself once it sees `closed`).
    await this.link?.controller.emergencyStop().catch(() => undefined);
    let timer: TimerHandle | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, STOP_TIMEOUT_MS);
    });
    await Promise.race([this.queue.run(() => this.disconnectNow()).catch(() => undefined), waited]);
    this.clock.clearTimer(timer);
    await this.disconnectNow();
    // A remembered intensity or a history entry still being written lands before the data folder may go.
    await Promise.all([this.intensities.flush(), this.history.flush()]);
  }

  private async disconnectNow(): Promise<void> {
    const link = this.link;
    if (!link) return;
    try {
      await this.stopNow();
    } finally {
      this.link = undefined;
      link.controller.removeAllListeners();
      await link.close();
      if (this.playing) await this.finish({ completed: false, reason: "HOST" });
      this.update({ device: { ...this.status.device, connection: "disconnected" } });
    }
  }

  private requireLink(): ConnectedDevice {
    if (!this.link) throw new MassagerError(ErrorCode.Disconnected, "no device is connected", { hint: "connect one" });
    return this.link;
  }

  private attach(link: ConnectedDevice, spec: string): void {
    link.controller.on("connection", (connection: ConnectionStatus, detail) => {
      this.update({
        device: {
          spec,
          description: link.description,
          connection,
          ...infoOf(link),
          ...(detail.attempt === undefined ? {} : { reconnectAttempt: detail.attempt }),
          ...(detail.error ? { error: toApiError(detail.error) } : {}),
        },
      });
    });
    link.controller.on("device", () => this.update({ device: { ...this.status.device, ...infoOf(link) } }));
    link.controller.on("deviceState", (state, reason) =>
      this.update({ device: { ...this.status.device, state, reason } }),
    );
    link.controller.on("session", (status) => {
      if (this.status.session) this.update({ session: { ...this.status.session, status } });
    });
    link.controller.on("step", (step) => {
      if (this.status.session) this.update({ session: { ...this.status.session, step } });
    });
    link.controller.on("progress", (positionMs) => {
      if (this.playing) this.playing.lastPositionMs = positionMs;
      const session = this.status.session;
      if (!session) return;
      this.status = { ...this.status, session: { ...session, positionMs } };
      const now = this.clock.now();
      if (now - this.lastStatusPush >= STATUS_INTERVAL_MS) this.push();
    });
    link.controller.on("telemetry", (sample) => {
      this.status = { ...this.status, applied: { vibration: sample.vibration, rotation: sample.rotation } };
      this.emit("event", {
        type: "telemetry",
        point: { tMs: sample.positionMs, vibration: sample.vibration, rotation: sample.rotation },
      });
    });
    link.controller.on("ended", (end) => {
      void this.finish({
        completed: end.completed,
        reason: end.reason,
        ...(end.error ? { error: toApiError(end.error) } : {}),
      });
    });
    link.controller.on("error", (error) =>
      this.update({ device: { ...this.status.device, error: toApiError(error) } }),
    );
  }

  private async finish(end: SessionEndSummary): Promise<void> {
    const playing = this.playing;
    if (!playing) return;
    this.playing = undefined;
    const { session, minutes } = playing.plan;
    const played = end.completed ? session.durationMs : Math.min(playing.lastPositionMs, session.durationMs);
    this.update({
      session: undefined,
      lastEnd: {
        ...end,
        summary: {
          sourceId: session.sourceId,
          name: session.name,
          playedMs: played,
          durationMs: session.durationMs,
          minutes,
          intensity: playing.plan.intensity,
          ...(playing.request.stepMinutes ? { stepMinutes: playing.request.stepMinutes } : {}),
        },
      },
    });
    try {
      await this.history.add({
        startedAt: playing.startedAt.toISOString(),
        sourceId: session.sourceId,
        name: session.name,
        goal: session.goal,
        plannedMinutes: minutes,
        minutes: Math.round((played / 60_000) * 100) / 100,
        completed: end.completed,
        endReason: end.reason,
      });
    } catch (error) {
      this.update({ device: { ...this.status.device, error: toApiError(error) } });
    }
  }

  private update(patch: Partial<AppStatus>): void {
    this.status = { ...this.status, ...patch };
    this.push();
  }

  private push(): void {
    this.lastStatusPush = this.clock.now();
    this.emit("event", { type: "status", status: this.getStatus() });
  }

  /** Settings the UI changed; the next session uses them. */
  async saveSettings(settings: Settings): Promise<Settings> {
    const saved = await this.settings.save(settings);
    this.emit("event", { type: "settings", settings: saved });
    return saved;
  }
}

function infoOf(link: ConnectedDevice): { info?: DeviceInfo } {
  const info = link.controller.info;
  return info ? { info } : {};
}
