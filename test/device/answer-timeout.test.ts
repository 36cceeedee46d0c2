import { describe, expect, it } from "vitest";
import { answerTimeout } from "../../device/answer-timeout.ts";
import type { Clock, TimerHandle } from "../../device/clock.ts";

/** A clock driven by hand: `stall(ms)` moves time on without running timers, as a busy machine does. */
function handClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { due: number; run: () => void }>();
  const deferred: (() => void)[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms): TimerHandle => {
      const id = nextId++;
      timers.set(id, { due: now + ms, run });
      return { id };
    },
    setInterval: () => {
      throw new Error("not used");
    },
    clearTimer: (handle) => {
      if (handle) timers.delete(handle.id);
    },
    defer: (run) => {
      deferred.push(run);
    },
  };
  /** Runs every timer due by `now` (late ones included) and what they defer. */
  const runDue = () => {
    for (const [id, timer] of [...timers].sort((a, b) => a[1].due - b[1].due)) {
      if (timer.due > now) continue;
      timers.delete(id);
      timer.run();
      while (deferred.length > 0) deferred.shift()?.();
    }
  };
  return {
    clock,
    advance(ms: number) {
      now += ms;
      runDue();
    },
    stall(ms: number) {
      now += ms;
    },
    runDue,
  };
}

describe("a timeout for an answer", () => {
  it("expires on time when the event loop keeps up", () => {
    const time = handClock();
    let expired = 0;
    answerTimeout(time.clock, 1000, () => expired++);
    time.advance(999);
    expect(expired).toBe(0);
    time.advance(1);
    expect(expired).toBe(1);
  });

  it("after a stall, waits as long again before failing, so an answer read meanwhile still counts", () => {
    const time = handClock();
    let expired = 0;
    const wait = answerTimeout(time.clock, 1000, () => expired++);
    time.stall(1600);
    time.runDue();
    expect(expired).toBe(0);
    wait.cancel();
    time.advance(5000);
    expect(expired).toBe(0);
  });

  it("still fails after a stall when no answer comes, and only once", () => {
    const time = handClock();
    let expired = 0;
    answerTimeout(time.clock, 1000, () => expired++);
    time.stall(1600);
    time.runDue();
    time.advance(599);
    expect(expired).toBe(0);
    time.advance(1);
    expect(expired).toBe(1);
    time.advance(10_000);
    expect(expired).toBe(1);
  });

  it("does nothing once cancelled", () => {
    const time = handClock();
    let expired = 0;
    answerTimeout(time.clock, 1000, () => expired++).cancel();
    time.advance(2000);
    expect(expired).toBe(0);
  });
});
