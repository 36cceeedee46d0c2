/**
 * Daily reminders as desktop notifications from the main process, at the times the person
 * picked in Settings (off until they turn them on). Clicking one brings the window forward.
 */
import type { Reminders } from "../../device/app/contract.ts";
import { REMINDER_TEXT, ReminderScheduler, type ReminderTime } from "../../device/app/reminders.ts";
import type { ElectronModule } from "./electron-api.ts";

const SYSTEM_TIME: ReminderTime = {
  wallNow: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class DesktopReminders {
  private readonly scheduler: ReminderScheduler;

  constructor(Notification: ElectronModule["Notification"], onClick: () => void, time: ReminderTime = SYSTEM_TIME) {
    this.scheduler = new ReminderScheduler(time, () => {
      if (!Notification.isSupported()) return;
      const notification = new Notification(REMINDER_TEXT);
      notification.on("click", onClick);
      notification.show();
    });
  }

  update(reminders: Reminders): void {
    this.scheduler.update(reminders);
  }

  next(): Date | undefined {
    return this.scheduler.next();
  }

  stop(): void {
    this.scheduler.stop();
  }
}
