/**
 * Matches replies to requests by sequence number, each with its own timeout. The timeout
 * error is made by the caller when it starts waiting, so its stack names the request's call
 * site, not a timer.
 */
import type { MassagerError } from "../../protocol/errors.ts";
import { type AnswerTimeout, answerTimeout } from "../answer-timeout.ts";
import type { Clock } from "../clock.ts";

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: MassagerError) => void;
  timer: AnswerTimeout;
}

export class Waitress<T> {
  private readonly waiters = new Map<number, Waiter<T>>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.waiters.size;
  }

  /** Waits for the reply to `seq`; rejects with `timeoutError` after `timeoutMs`. */
  wait(seq: number, timeoutMs: number, timeoutError: MassagerError): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Late timers (a stalled event loop) read the reply that came meanwhile first: ../answer-timeout.ts.
      const timer = answerTimeout(this.clock, timeoutMs, () => {
        this.waiters.delete(seq);
        reject(timeoutError);
      });
      this.waiters.set(seq, { resolve, reject, timer });
    });
  }

  /** Delivers a reply; false when nothing waits for `seq`. */
  resolve(seq: number, value: T): boolean {
    const waiter = this.take(seq);
    waiter?.resolve(value);
    return waiter !== undefined;
  }

  reject(seq: number, error: MassagerError): boolean {
    const waiter = this.take(seq);
    waiter?.reject(error);
    return waiter !== undefined;
  }

  /** The only sequence number waited for, if exactly one is. */
  soleSeq(): number | undefined {
    if (this.waiters.size !== 1) return undefined;
    return this.waiters.keys().next().value;
  }

  rejectAll(error: MassagerError): void {
    for (const seq of [...this.waiters.keys()]) this.reject(seq, error);
  }

  private take(seq: number): Waiter<T> | undefined {
    const waiter = this.waiters.get(seq);
    if (waiter === undefined) return undefined;
    this.waiters.delete(seq);
    waiter.timer.cancel();
    return waiter;
  }
}
