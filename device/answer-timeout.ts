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
  let handle: TimerHandle | undefined;
  let cancelled = false;
  let extended = false;
  let due = clock.now() + ms;
  const fire = () => {
    handle = undefined;
    clock.defer(() => {
      if (cancelled) return;
      const late = clock.now() - due;
      if (!extended && late > STALL_MS) {
        extended = true;
        const wait = Math.min(late, ms);
        due = clock.now() + wait;
        handle = clock.setTimeout(fire, wait);
        return;
      }
      cancelled = true;
      expired();
    });
  };
  handle = clock.setTimeout(fire, ms);
  return {
    cancel() {
      cancelled = true;
      clock.clearTimer(handle);
    },
  };
}
