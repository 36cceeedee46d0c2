/**
 * Keeps the display awake while a session plays (Electron's powerSaveBlocker), so the screen
 * with the cue and the Stop button does not go dark mid-step; released when the session ends.
 */
import type { ElectronModule } from "./electron-api.ts";

export class KeepAwake {
  private blocker: number | undefined;

  constructor(private readonly powerSaveBlocker: ElectronModule["powerSaveBlocker"]) {}

  /** Holds the blocker while `playing`. */
  update(playing: boolean): void {
    if (playing && this.blocker === undefined) {
      this.blocker = this.powerSaveBlocker.start("prevent-display-sleep");
    } else if (!playing && this.blocker !== undefined) {
      this.powerSaveBlocker.stop(this.blocker);
      this.blocker = undefined;
    }
  }

  get active(): boolean {
    return this.blocker !== undefined;
  }
}
