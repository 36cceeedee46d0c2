/**
 * The app's status as the UI sees it, and its pushes: a change the person must see is pushed at
 * once (update); session progress rides at most one push per STATUS_INTERVAL_MS (pushIfDue), since
 * telemetry carries the fine-grained position; telemetry's levels ride the next push (set).
 */
import type { Clock } from "../clock.ts";
import type { AppEvent, AppStatus } from "./contract.ts";

/** Progress is pushed at most this often; telemetry carries the fine-grained position. */
const STATUS_INTERVAL_MS = 200;

export class StatusHolder {
  private status: AppStatus = {
    device: { spec: "", description: "no device", connection: "disconnected" },
    session: undefined,
    applied: { vibration: 0, rotation: 0 },
    lastEnd: undefined,
  };
  private lastPush = Number.NEGATIVE_INFINITY;

  /**
   * `push` sends a status event; `motors` reads the outputs live where the device allows it
   * (ConnectedDevice.motorLevels), so every snapshot says what the motors do right now.
   */
  constructor(
    private readonly clock: Clock,
    private readonly push: (event: AppEvent) => void,
    private readonly motors: () => { vibration: number; rotation: number } | undefined,
  ) {}

  /** The status as held, without the live motor levels. */
  get current(): AppStatus {
    return this.status;
  }

  /** The status with the motors' levels read now. */
  snapshot(): AppStatus {
    const motors = this.motors();
    return motors ? { ...this.status, device: { ...this.status.device, motors } } : this.status;
  }

  /** Changes the status and pushes it at once. */
  update(patch: Partial<AppStatus>): void {
    this.set(patch);
    this.pushNow();
  }

  /** Changes the status without a push: it rides the next one. */
  set(patch: Partial<AppStatus>): void {
    this.status = { ...this.status, ...patch };
  }

  /** Pushes when the last push is at least STATUS_INTERVAL_MS old (on the injected clock). */
  pushIfDue(): void {
    if (this.clock.now() - this.lastPush >= STATUS_INTERVAL_MS) this.pushNow();
  }

  private pushNow(): void {
    this.lastPush = this.clock.now();
    this.push({ type: "status", status: this.snapshot() });
  }
}
