/**
 * Daily reminders as web notifications, for `massager serve` in a browser: while the page is
 * open, at the times the person picked. Needs the browser's permission (asked when they turn
 * reminders on) and a secure context (localhost counts); without either, Settings says so.
 * Inside Electron the main process shows desktop notifications instead.
 */
import type { Reminders } from "../../device/app/contract.ts";
import { REMINDER_TEXT, ReminderScheduler } from "../../device/app/reminders.ts";

export type WebNotifyState = "unsupported" | "default" | "denied" | "granted";

export function notifyState(): WebNotifyState {
  if (typeof Notification === "undefined" || !window.isSecureContext) return "unsupported";
  return Notification.permission;
}

/** Asks for permission; call from a click. */
export async function askToNotify(): Promise<WebNotifyState> {
  if (notifyState() === "unsupported") return "unsupported";
  try {
    return await Notification.requestPermission();
  } catch {
    return notifyState();
  }
}

export class WebReminders {
  private readonly scheduler = new ReminderScheduler(
    {
      wallNow: () => Date.now(),
      setTimeout: (callback, ms) => window.setTimeout(callback, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
    },
    () => this.show(),
  );

  update(reminders: Reminders): void {
    if (window.massager) return;
    this.scheduler.update(reminders);
  }

  next(): Date | undefined {
    return this.scheduler.next();
  }

  private show(): void {
    if (notifyState() !== "granted") return;
    new Notification(REMINDER_TEXT.title, { body: REMINDER_TEXT.body, tag: "massager-reminder" });
  }
}
