/**
 * The motor test and flashing as the app runs them: each in turn with connecting, starting and
 * stopping (the app's one queue), on a device the app lets go of first, since one party owns a
 * port at a time, and connects to again after. Every stop ends the motor test; only closing the
 * app aborts flashing (Stop would leave a board without firmware, and its motors are off anyway).
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { toApiError } from "./api-error.ts";
import type { AppEvent, FlashProgress, FlashRequest, MotorTestProgress } from "./contract.ts";
import { createDeviceTools, type DeviceTools } from "./device-tools.ts";
import type { SerialQueue } from "./serial-queue.ts";
import type { StatusHolder } from "./status-holder.ts";

/** What flashFirmware resolves to: the new firmware's answer, and whether the app connected to it. */
export interface FlashResult {
  bytes: number;
  firmware: string;
  pins?: string;
  connected: boolean;
}

/** What the runner needs of the app core; the device methods run inside `queue`. */
export interface ToolHost {
  readonly queue: SerialQueue;
  readonly status: StatusHolder;
  isClosed(): boolean;
  isPlaying(): boolean;
  /** The connected device's spec and description, else the default device's spec. */
  currentDevice(): Promise<{ spec: string; description: string }>;
  /** Stops and closes the connected device, if any. */
  disconnect(): Promise<void>;
  connect(spec: string): Promise<unknown>;
  emit(event: AppEvent): void;
}

export class ToolRunner {
  /** The motor test asked for or running: every stop aborts it. */
  private motorTest: AbortController | undefined;
  /** Flashing under way: only closing the app aborts it. */
  private flashing: AbortController | undefined;
  private toolsMade: DeviceTools | undefined;

  /** `tools` defaults to createDeviceTools() with the default device schemes, made on first use. */
  constructor(
    private readonly host: ToolHost,
    private readonly tools?: DeviceTools,
  ) {}

  /** Every stop (Stop, Esc, emergency stop) ends the motor test with the motors off. */
  stopMotorTest(): void {
    this.motorTest?.abort();
  }

  /** Closing the app ends both tools. */
  abortAll(): void {
    this.motorTest?.abort();
    this.flashing?.abort();
  }

  /** See AppCore.testMotors. */
  testMotors(): Promise<{ completed: boolean }> {
    if (this.motorTest) {
      return Promise.reject(
        new MassagerError(ErrorCode.BadState, "the motor test is already running", { hint: "wait for it or stop it" }),
      );
    }
    const abort = new AbortController();
    this.motorTest = abort;
    return this.host.queue
      .run(() => this.testMotorsNow(abort))
      .finally(() => {
        if (this.motorTest === abort) this.motorTest = undefined;
      });
  }

  private async testMotorsNow(abort: AbortController): Promise<{ completed: boolean }> {
    const host = this.host;
    this.refuseDuringSession("test the motors");
    if (abort.signal.aborted) return { completed: false };
    const { spec, description: device } = await host.currentDevice();
    await host.disconnect();
    const tell = (progress: Omit<MotorTestProgress, "device">) => {
      const test = { device, ...progress };
      host.status.set({ motorTest: test });
      host.emit({ type: "motorTest", test });
    };
    let reported: Pick<MotorTestProgress, "firmware" | "pins"> = {};
    tell({ phase: "starting" });
    try {
      const { pinsLine } = await import("../hw/motor-test.ts");
      await this.deviceTools.testMotors(spec, {
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
      if (!host.isClosed()) await host.connect(spec).catch(() => undefined);
    }
  }

  /** See AppCore.flashFirmware. */
  flash(request: FlashRequest): Promise<FlashResult> {
    return this.host.queue.run(() => this.flashNow(request));
  }

  private async flashNow(request: FlashRequest): Promise<FlashResult> {
    const host = this.host;
    if (host.isClosed()) throw new MassagerError(ErrorCode.SessionAborted, "the app is closing");
    this.refuseDuringSession("flash firmware");
    // The port may be the connected device's, and one party owns a port at a time.
    await host.disconnect();
    const abort = new AbortController();
    this.flashing = abort;
    const tell = (flash: Omit<FlashProgress, "port">) =>
      host.emit({ type: "flash", flash: { port: request.port, ...flash } });
    tell({ phase: "starting", done: 0, total: 0 });
    try {
      const outcome = await this.deviceTools.flash(request, {
        signal: abort.signal,
        onProgress: (phase, done, total) => tell({ phase, done, total }),
      });
      const answered = { firmware: outcome.firmware, ...(outcome.pins ? { pins: outcome.pins } : {}) };
      tell({ phase: "reconnecting", done: outcome.bytes, total: outcome.bytes, ...answered });
      // The board is flashed and answered either way; a connection that fails (another program
      // took the port) is said beside it, and shows on the Device screen as any failed connect.
      const connected = await host.connect(`serial:${request.port}`).then(
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
    if (this.host.isPlaying()) {
      throw new MassagerError(ErrorCode.BadState, `a session is playing: cannot ${what} now`, {
        hint: `stop the session first, then ${what}`,
      });
    }
  }

  private get deviceTools(): DeviceTools {
    this.toolsMade ??= this.tools ?? createDeviceTools();
    return this.toolsMade;
  }
}
