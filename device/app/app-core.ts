/**
 * The app's state on the Node side: the connected device, the session playing, the stores.
 * Both the Electron main process and `massager serve` own one, and expose it through the
 * API object in app-api.ts. It prints nothing and installs no handlers; its owner calls close().
 *
 *   UI ──api──► AppCore ──play/pause/stop──► Controller ──► device
 *   UI ◄─events── AppCore ◄──telemetry, state, progress, ended──┘
 *
 * AppCore owns the device link, the queue that connect, start, stop and close run through, and
 * the session playing. Its parts, each in its own file: the status and its pushes
 * (status-holder.ts), the link's events (link-events.ts), planning (session-planning.ts), the
 * ended session's record (session-record.ts), the stop bound (stop-timeout.ts), the data folder's
 * stores (app-stores.ts), the motor test and flashing (tool-runner.ts).
 */
import { EventEmitter } from "node:events";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Pattern } from "../../protocol/pattern.ts";
import { type Clock, RealClock } from "../clock.ts";
import { toApiError } from "./api-error.ts";
import { AppStores } from "./app-stores.ts";
import { type ConnectedDevice, type DeviceConnector, infoOf } from "./connected-device.ts";
import type {
  AppEvent,
  AppStatus,
  FlashRequest,
  SessionEndSummary,
  SessionRequest,
  Settings,
  Timeline,
} from "./contract.ts";
import type { DeviceTools } from "./device-tools.ts";
import type { IntensityMemory } from "./intensity-memory.ts";
import type { Library } from "./library.ts";
import { followLink } from "./link-events.ts";
import type { DeviceLister } from "./list-devices.ts";
import { SerialQueue } from "./serial-queue.ts";
import { planSession, previewPattern, type SessionPlan } from "./session-planning.ts";
import { type PlayingSession, sessionRecord } from "./session-record.ts";
import { StatusHolder } from "./status-holder.ts";
import { stopOrCut, waitAtMostStopTimeout } from "./stop-timeout.ts";
import type { CustomPatternStore } from "./store/custom-patterns.ts";
import type { HistoryStore } from "./store/history.ts";
import type { SettingsStore } from "./store/settings.ts";
import { type FlashResult, ToolRunner } from "./tool-runner.ts";

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

export class AppCore extends EventEmitter<{ event: [AppEvent] }> {
  /** Settings, history, the person's patterns and the library (app-stores.ts). */
  private readonly stores: AppStores;
  readonly library: Library;
  readonly history: HistoryStore;
  readonly settings: SettingsStore;
  readonly patterns: CustomPatternStore;
  /** The last intensity used for each routine, offered again next time. */
  readonly intensities: IntensityMemory;
  /** Files set aside since the app started, for the terminal and the app's library screen. */
  readonly notices: string[];
  /** Live intensity changes, in the order they were made. */
  private readonly intensityQueue = new SerialQueue();
  private link: ConnectedDevice | undefined;
  private readonly status: StatusHolder;
  private playing: PlayingSession | undefined;
  private readonly clock: Clock;
  private closed = false;
  /** Connect, start, stop and close run one at a time, so exactly one party owns the device. */
  private readonly queue = new SerialQueue();
  /** Bumped by every stop, emergency stop and close: a start asked for before it never plays. */
  private stopEpoch = 0;
  /** The motor test and flashing (tool-runner.ts). */
  private readonly tools: ToolRunner;

  constructor(private readonly options: AppCoreOptions) {
    super();
    this.clock = options.clock ?? new RealClock();
    const emit = (event: AppEvent) => this.emit("event", event);
    this.status = new StatusHolder(this.clock, emit, () => this.link?.motorLevels?.());
    this.tools = new ToolRunner(
      {
        queue: this.queue,
        status: this.status,
        isClosed: () => this.closed,
        isPlaying: () => this.playing !== undefined,
        currentDevice: async () => {
          const spec = this.link ? this.status.current.device.spec : (await this.settings.get()).defaultDevice;
          return { spec, description: this.link?.description ?? spec };
        },
        disconnect: () => this.disconnectNow(),
        connect: (spec) => this.connectNow(spec),
        emit,
      },
      options.tools,
    );
    this.stores = new AppStores(options.dataDir);
    this.library = this.stores.library;
    this.history = this.stores.history;
    this.settings = this.stores.settings;
    this.patterns = this.stores.patterns;
    this.intensities = this.stores.intensities;
    this.notices = this.stores.notices;
  }

  /**
   * Removes what killed saves left behind, reads every store once (a broken file is set aside,
   * see store/atomic-file.ts) and loads the person's patterns. Resolves with what the person
   * should hear of once: files set aside. Call once before serving the UI.
   */
  init(): Promise<string[]> {
    return this.stores.init();
  }

  /** Reads the person's patterns into the library; resolves with the files it could not use. */
  reloadPatterns(): Promise<string[]> {
    return this.stores.reloadPatterns();
  }

  /** Saves one of the person's patterns (never under a built-in's id, pattern-rules.ts) and reloads the library. */
  savePattern(pattern: Pattern): Promise<Pattern> {
    return this.stores.savePattern(pattern);
  }

  /** Deletes one of the person's patterns (a file with a built-in's id too) and reloads the library. */
  deletePattern(id: string): Promise<void> {
    return this.stores.deletePattern(id);
  }

  getStatus(): AppStatus {
    return this.status.snapshot();
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
    this.status.update({ device: { spec, description: spec, connection: "connecting" } });
    try {
      const link = await this.options.connect(spec);
      if (this.closed) {
        await link.close();
        throw new MassagerError(ErrorCode.SessionAborted, "the app is closing");
      }
      this.link = link;
      followLink(link, spec, {
        status: this.status,
        playing: () => this.playing,
        emit: (event) => this.emit("event", event),
        ended: (end) => void this.finish(end),
      });
      this.status.update({
        device: { spec, description: link.description, connection: link.controller.connection, ...infoOf(link) },
      });
      return this.status.current;
    } catch (error) {
      this.status.update({ device: { spec, description: spec, connection: "disconnected", error: toApiError(error) } });
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
    const info = this.link?.controller.info;
    return planSession(request, { settings, library: this.library, info, chartPoints: this.options.chartPoints });
  }

  /** The chart of a pattern being edited, at full intensity under its pressure cap. */
  preview(pattern: Pattern, minutes: number): Timeline {
    return previewPattern(pattern, minutes, this.library);
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
    this.status.update({
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
    this.tools.stopMotorTest();
    // A program still uploading has not moved anything yet: cut it now rather than after it
    // starts (the start then fails as stopped, and nothing ever ran).
    if (this.playing && this.status.current.session?.status === "uploading")
      void this.link?.controller.emergencyStop().catch(() => {});
    return this.queue.run(() => this.stopNow());
  }

  private async stopNow(): Promise<void> {
    const link = this.link;
    if (!link) return;
    await stopOrCut(link.controller, this.clock);
  }

  /** Straight to the device, past the queue: it must reach the motors whatever else is under way. */
  async emergencyStop(): Promise<void> {
    this.stopEpoch++;
    this.tools.stopMotorTest();
    await this.link?.controller.emergencyStop();
  }

  /**
   * Live intensity: the person's percent, never above their maximum; resolves once the device
   * applied it. Calls run in the order they were made, so the device ends at the last one.
   */
  setIntensity(percent: number): Promise<number> {
    return this.intensityQueue.run(() => this.applyIntensity(percent));
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
    if (this.status.current.session)
      this.status.update({ session: { ...this.status.current.session, intensity: capped } });
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
    return this.tools.testMotors();
  }

  /**
   * Writes the prebuilt massager firmware to the Arduino on `request.port` with the same
   * progress and errors as `massager flash`, then connects to it. Refused while a session plays.
   */
  flashFirmware(request: FlashRequest): Promise<FlashResult> {
    return this.tools.flash(request);
  }

  /** Stops the motors and closes the device. For window close, app quit and server shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopEpoch++;
    this.tools.abortAll();
    // Motors first, past the queue; then the orderly close in turn, bounded: a connect stuck in a
    // handshake must not keep a quitting app alive (it closes its link itself once it sees `closed`).
    await this.link?.controller.emergencyStop().catch(() => undefined);
    await waitAtMostStopTimeout(
      this.queue.run(() => this.disconnectNow()),
      this.clock,
    );
    await this.disconnectNow();
    // A remembered intensity or a history entry still being written lands before the data folder may go.
    await this.stores.flush();
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
      this.status.update({ device: { ...this.status.current.device, connection: "disconnected" } });
    }
  }

  private requireLink(): ConnectedDevice {
    if (!this.link) throw new MassagerError(ErrorCode.Disconnected, "no device is connected", { hint: "connect one" });
    return this.link;
  }

  private async finish(end: SessionEndSummary): Promise<void> {
    const playing = this.playing;
    if (!playing) return;
    this.playing = undefined;
    const { lastEnd, entry } = sessionRecord(playing, end);
    this.status.update({ session: undefined, lastEnd });
    try {
      await this.history.add(entry);
    } catch (error) {
      this.status.update({ device: { ...this.status.current.device, error: toApiError(error) } });
    }
  }

  /** Settings the UI changed; the next session uses them. */
  async saveSettings(settings: Settings): Promise<Settings> {
    const saved = await this.settings.save(settings);
    this.emit("event", { type: "settings", settings: saved });
    return saved;
  }
}
