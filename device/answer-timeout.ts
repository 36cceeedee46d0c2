/**
 * A timeout for an answer from another process or device. On a busy machine the event loop can
 * stall; when it resumes, Node runs an expired timer before it reads the answer that arrived
 * meanwhile, and a request that was answered in time fails. So a timer that fires late first
 * gives input a turn and, when it was late by more than STALL_MS, waits once more for as long as
 * it was late: the wait counts only time in which the process could have read the answer.
 */
import type { Clock, TimerHandle } from "./clock.ts";

/** Lateness that counts as a stalled event loop rather than timer jitter. */
const STALL_MS = 20;

export interface AnswerTimeout {
  cancel(): void;
}

/** Calls `expired` once `ms` of responsive time has passed without cancel(). */
export function answerTimeout(clock: Clock, ms: number, expired: () => void): AnswerTimeout {
  return new Timeout(clock, ms, expired);
}

/**
 * A class rather than closures: one is made for every request (a heartbeat every 250 ms, which
 * in virtual time is 14 400 an hour), and nearly all are cancelled by their reply.
 */
class Timeout implements AnswerTimeout {
  private handle: TimerHandle | undefined;
  private cancelled = false;
  private extended = false;
  private due: number;
  private readonly onTimer = this.fire.bind(this);

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly expired: () => void,
  ) {
    this.due = clock.now() + ms;
    this.handle = clock.setTimeout(this.onTimer, ms);
  }

  cancel(): void {
    this.cancelled = true;
    this.clock.clearTimer(this.handle);
  }

  /** The timer fired: give input a turn first (a reply that came while the loop stalled). */
  private fire(): void {
    this.handle = undefined;
    this.clock.defer(() => this.check());
  }

  private check(): void {
    if (this.cancelled) return;
    const clock = this.clock;
    const late = clock.now() - this.due;
    if (!this.extended && late > STALL_MS) {
      this.extended = true;
      const wait = Math.min(late, this.ms);
      this.due = clock.now() + wait;
      this.handle = clock.setTimeout(this.onTimer, wait);
      return;
    }
    this.cancelled = true;
    this.expired();
  }
}
