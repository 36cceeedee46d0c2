import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";

describe("the virtual clock", () => {
  it("runs timers in due order, equal times in the order they were set (an interval anew each period)", async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setInterval(() => log.push(`a@${clock.now()}`), 10);
    clock.setInterval(() => log.push(`b@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`t@${clock.now()}`), 20);
    clock.setInterval(() => log.push(`c@${clock.now()}`), 15);
    await clock.advance(30);
    // t was set before a and b re-armed at 10, so it runs first at 20; c re-armed at 15, before them.
    expect(log).toEqual(["a@10", "b@10", "c@15", "t@20", "a@20", "b@20", "c@30", "a@30", "b@30"]);
  });

  it("never fires a cleared timer, lets an interval clear itself, and counts what is pending", async () => {
    const clock = new VirtualClock();
    let ticks = 0;
    const fired: string[] = [];
    const interval = clock.setInterval(() => {
      ticks++;
      if (ticks === 3) clock.clearTimer(interval);
    }, 5);
    const cleared = clock.setTimeout(() => fired.push("cleared"), 7);
    clock.setTimeout(() => fired.push("kept"), 8);
    expect(clock.pending).toBe(3);
    clock.clearTimer(cleared);
    clock.clearTimer(cleared); // twice is harmless
    expect(clock.pending).toBe(2);
    await clock.advance(100);
    expect(ticks).toBe(3);
    expect(fired).toEqual(["kept"]);
    expect(clock.pending).toBe(0);
  });

  it("lets a promise chain of any depth started by a timer finish before the next timer runs", async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const deep = async (depth: number): Promise<void> => {
      for (let i = 0; i < depth; i++) await Promise.resolve();
      log.push(`chain of ${depth} done at ${clock.now()}`);
    };
    clock.setTimeout(() => void deep(500), 10);
    clock.setTimeout(() => log.push(`next timer at ${clock.now()}`), 10);
    await clock.advance(10);
    expect(log).toEqual(["chain of 500 done at 10", "next timer at 10"]);
  });

  it("runs until a promise settles, moving time only as far as it takes", async () => {
    const clock = new VirtualClock();
    const done = new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 3_600_000));
    clock.setInterval(() => {}, 5);
    await expect(clock.runUntil(done)).resolves.toBe(3_600_000);
    expect(clock.now()).toBe(3_600_000);
    await expect(clock.runUntil(new Promise(() => {}), 1000)).rejects.toThrow(/still pending after 1000 ms/);
  });
});
