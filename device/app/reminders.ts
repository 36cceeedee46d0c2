/**
 * Daily reminders: the next local time of day from the person's list, and a scheduler that
 * fires at it and re-arms for the next one. Renderer-safe (no Node built-ins): the Electron
 * main process shows desktop notifications with it, the browser web notifications. Time is
 * injected, so tests run a day in a moment on a virtual clock.
 */
import type { Reminders } from "./contract.ts";

export interface ReminderTime {
  /** Wall-clock time now, ms since the epoch. */
  wallNow(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The next moment, strictly after `nowMs`, whose local time of day is one of `times` ("HH:MM"). */
export function nextReminder(times: readonly string[], nowMs: number): number | undefined {
  let best: number | undefined;
  for (const time of times) {
    const [hours, minutes] = time.split(":").map(Number);
    if (hours === undefined || minutes === undefined || !Number.isFinite(hours) || !Number.isFinite(minutes)) continue;
    const at = new Date(nowMs);
    at.setHours(hours, minutes, 0, 0);
    if (at.getTime() <= nowMs) at.setDate(at.getDate() + 1);
    if (best === undefined || at.getTime() < best) best = at.getTime();
  }
  return best;
}

/** The words of a reminder: the article's "once or twice a day". */
export const REMINDER_TEXT = {
  title: "Time for a scalp massage",
  body: "Five minutes of scalp care, once or twice a day. Open the massager app to start.",
};

/** Long timers are split so a sleeping laptop or a clock change cannot push a reminder days late. */
const MAX_WAIT_MS = 60 * 60_000;

export class ReminderScheduler {
  private timer: unknown;
  private due: number | undefined;
  /** The last time fired: a timer that ran a little early must not fire the same reminder twice. */
  private fired = Number.NEGATIVE_INFINITY;
  private reminders: Reminders = { enabled: false, times: [] };

  constructor(
    private readonly time: ReminderTime,
    private readonly fire: (at: Date) => void,
  ) {}

  /** Applies the person's settings: re-arms for the next time, or stops when they are off. */
  update(reminders: Reminders): void {
    this.reminders = reminders;
    this.arm();
  }

  /** When the next reminder fires, if any. */
  next(): Date | undefined {
    return this.due === undefined ? undefined : new Date(this.due);
  }

  stop(): void {
    if (this.timer !== undefined) this.time.clearTimeout(this.timer);
    this.timer = undefined;
    this.due = undefined;
  }

  private arm(): void {
    this.stop();
    if (!this.reminders.enabled) return;
    this.due = nextReminder(this.reminders.times, Math.max(this.time.wallNow(), this.fired));
    this.wait();
  }

  private wait(): void {
    const due = this.due;
    if (due === undefined) return;
    const left = due - this.time.wallNow();
    if (left > MAX_WAIT_MS) {
      this.timer = this.time.setTimeout(() => this.wait(), MAX_WAIT_MS);
      return;
    }
    this.timer = this.time.setTimeout(
      () => {
        this.timer = undefined;
        this.fired = due;
        this.fire(new Date(due));
        this.arm();
      },
      Math.max(0, left),
    );
  }
}
