/**
 * The Device screen's hardware tools: the motor test and flashing the firmware. Their progress
 * arrives as app events (events.ts: any window sees a test another one started; one opened
 * mid-test finds it in the status) and lands in the state's `tools` (state.ts: isTesting, isFlashing).
 */
import type { FlashRequest } from "../../../device/app/contract.ts";
import { type ActionContext, failed } from "./context.ts";

export class ToolActions {
  constructor(private readonly ctx: ActionContext) {}

  chooseBoard(board: FlashRequest["board"]): void {
    this.ctx.store.update((state) => ({ tools: { ...state.tools, board } }));
  }

  async testMotors(): Promise<void> {
    try {
      await this.ctx.api.testMotors();
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }

  /** The global stop: it ends the motor test at once, past everything queued. */
  async stopMotorTest(): Promise<void> {
    try {
      await this.ctx.api.emergencyStop();
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }

  async flash(port: string): Promise<void> {
    const { store, api } = this.ctx;
    try {
      const result = await api.flashFirmware({ port, board: store.state.tools.board });
      const connected = result.connected ? " The app is connected to it." : "";
      store.update({
        notice: {
          kind: "info",
          message: `Flashed: the board answers as massager firmware ${result.firmware}.${connected}`,
        },
      });
    } catch (error) {
      store.update(failed(error));
    }
  }
}
