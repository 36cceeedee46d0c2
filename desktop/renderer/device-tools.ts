/**
 * The Device screen's hardware tools: the motor test and flashing the firmware. Their progress
 * arrives as app events (any window sees a test another one started; one opened mid-test
 * finds it in the status); this holds the latest of each and re-renders. While the motor test
 * runs, Esc stops it as it stops a session.
 */
import type { FlashProgress, FlashRequest, MotorTestProgress } from "../../device/app/contract.ts";
import type { App } from "./app.ts";

export interface DeviceToolsState {
  motorTest: MotorTestProgress | undefined;
  flash: FlashProgress | undefined;
  /** The board chosen for flashing: Optiboot (Uno, newer Nano) or the old Nano bootloader. */
  board: FlashRequest["board"];
}

const RUNNING_TEST: ReadonlySet<MotorTestProgress["phase"]> = new Set(["starting", "step"]);
const RUNNING_FLASH: ReadonlySet<FlashProgress["phase"]> = new Set(["starting", "write", "verify", "reconnecting"]);

export class DeviceTools {
  state: DeviceToolsState = { motorTest: undefined, flash: undefined, board: "uno" };
  constructor(private readonly app: App) {
    window.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !this.testing) return;
      event.preventDefault();
      void this.stopMotorTest();
    });
  }

  /** The latest progress: from the events, or from the status for a window opened mid-test. */
  get motorTest(): MotorTestProgress | undefined {
    return this.state.motorTest ?? this.app.state.status?.motorTest;
  }

  get testing(): boolean {
    const test = this.motorTest;
    return test !== undefined && RUNNING_TEST.has(test.phase);
  }

  get flashing(): boolean {
    return this.state.flash !== undefined && RUNNING_FLASH.has(this.state.flash.phase);
  }

  onEvent(event: { type: "motorTest"; test: MotorTestProgress } | { type: "flash"; flash: FlashProgress }): void {
    if (event.type === "motorTest") this.update({ motorTest: event.test });
    else this.update({ flash: event.flash });
  }

  chooseBoard(board: FlashRequest["board"]): void {
    this.update({ board });
  }

  async testMotors(): Promise<void> {
    try {
      await this.app.client.api.testMotors();
    } catch (error) {
      this.app.fail(error);
    }
  }

  /** The global stop: it ends the motor test at once, past everything queued. */
  async stopMotorTest(): Promise<void> {
    try {
      await this.app.client.api.emergencyStop();
    } catch (error) {
      this.app.fail(error);
    }
  }

  async flash(port: string): Promise<void> {
    try {
      const result = await this.app.client.api.flashFirmware({ port, board: this.state.board });
      const connected = result.connected ? " The app is connected to it." : "";
      this.app.set({
        notice: {
          kind: "info",
          message: `Flashed: the board answers as massager firmware ${result.firmware}.${connected}`,
        },
      });
    } catch (error) {
      this.app.fail(error);
    }
  }

  private update(patch: Partial<DeviceToolsState>): void {
    this.state = { ...this.state, ...patch };
    this.app.set({});
  }
}
