/**
 * A program upload that loses a line starts again from LOAD, a bounded number of times
 * (ControllerOptions.uploadAttempts, default 3), then fails with one clear error and nothing moved.
 */
import { describe, expect, it } from "vitest";
import { type Behaviour, dropLines } from "../../device/simulator/behaviours.ts";
import { encode } from "../../protocol/codec.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { sessionOf, virtualRig } from "../support/sessions.ts";

const program: WireProgram = {
  blocks: [
    { durationMs: 2000, step: 0, vib: [{ dtMs: 500, value: 700, ease: "linear" }], rot: [] },
    { durationMs: 2000, step: 1, vib: [{ dtMs: 500, value: 300, ease: "linear" }], rot: [] },
  ],
};

/** Lets `behaviour` drop only its first `count` lines; after that every line passes. */
function firstDropsOnly(count: number, behaviour: Behaviour): Behaviour {
  let dropped = 0;
  const limit =
    (handler: NonNullable<Behaviour["inbound"]>): NonNullable<Behaviour["inbound"]> =>
    (line, next, context) => {
      if (dropped >= count) return next(line);
      let passed = false;
      handler(
        line,
        (kept) => {
          passed = true;
          next(kept);
        },
        context,
      );
      if (!passed) dropped++;
    };
  return {
    name: `${behaviour.name} (first ${count})`,
    ...(behaviour.inbound ? { inbound: limit(behaviour.inbound) } : {}),
    ...(behaviour.outbound ? { outbound: limit(behaviour.outbound) } : {}),
  };
}

/** Counts the host's lines the device actually received, by name. */
function countReceived(counts: Map<string, number>): Behaviour {
  return {
    name: "count",
    inbound: (line, next) => {
      const name = line.split(" ")[0] ?? "";
      counts.set(name, (counts.get(name) ?? 0) + 1);
      next(line);
    },
  };
}

describe("upload retry", () => {
  it("a lost OK during the upload (the device did the BLK, its reply vanished): uploads again from LOAD and plays", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    const received = new Map<string, number>();
    // After connect, the OKs are LOAD's, BLK's, KEY's...: the second one is the first BLK's.
    sim.device.use(firstDropsOnly(1, dropLines({ direction: "outbound", match: /^OK /, every: 2 })));
    sim.device.use(countReceived(received));
    await clock.runUntil(controller.play(sessionOf(program)));
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end).toEqual({ completed: true, reason: "DONE" });
    expect(received.get("LOAD")).toBe(2);
    expect(received.get("START")).toBe(1);
    expect(sim.device.recorder.changes.some((change) => change.vib >= 690)).toBe(true);
    await clock.runUntil(controller.close());
  });

  it("a KEY lost on its way to the device: the upload starts again and the device plays the whole program", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    const received = new Map<string, number>();
    sim.device.use(firstDropsOnly(1, dropLines({ direction: "inbound", match: /^KEY / })));
    sim.device.use(countReceived(received));
    await clock.runUntil(controller.play(sessionOf(program)));
    expect(await clock.runUntil(controller.waitForEnd())).toEqual({ completed: true, reason: "DONE" });
    // The first attempt stopped at the lost KEY (no reply); the second sent both blocks' KEY frames.
    expect(received.get("LOAD")).toBe(2);
    expect(received.get("KEY")).toBe(2);
    expect(received.get("COMMIT")).toBe(1);
    await clock.runUntil(controller.close());
  });

  it("gives up after uploadAttempts lost lines with one clear Timeout error; nothing moved and the session ended", async () => {
    const { clock, sim, controller } = virtualRig({ controller: { uploadAttempts: 3 } });
    await clock.runUntil(controller.connect());
    const received = new Map<string, number>();
    sim.device.use(dropLines({ direction: "outbound", match: /^OK \d+\*/, every: 3 }));
    sim.device.use(countReceived(received));
    const played = clock.runUntil(controller.play(sessionOf(program))).then(
      () => undefined,
      (error: unknown) => error,
    );
    const failure = await played;
    expect(isMassagerError(failure, ErrorCode.Timeout)).toBe(true);
    expect((failure as Error).message).toMatch(
      /: the program upload lost a line on each of 3 attempts \(last: (BLK|KEY), no reply in time\) \(E304 Timeout\)$/,
    );
    expect((failure as { hint?: string }).hint).toMatch(/check the cable/);
    expect(received.get("LOAD")).toBe(3);
    expect(received.get("START")).toBeUndefined();
    expect(sim.device.recorder.changes.every((change) => change.vib === 0 && change.rot === 0)).toBe(true);
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.reason).toBe("ERROR");
    expect(end.error?.code).toBe(ErrorCode.Timeout);
    await clock.runUntil(controller.close());
  });

  it("with uploadAttempts 1 the first lost reply fails the upload (no retry)", async () => {
    const { clock, sim, controller } = virtualRig({ controller: { uploadAttempts: 1 } });
    await clock.runUntil(controller.connect());
    const received = new Map<string, number>();
    sim.device.use(firstDropsOnly(1, dropLines({ direction: "outbound", match: /^OK /, every: 2 })));
    sim.device.use(countReceived(received));
    const failure = await clock.runUntil(controller.play(sessionOf(program))).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isMassagerError(failure, ErrorCode.Timeout)).toBe(true);
    expect(received.get("LOAD")).toBe(1);
    await clock.runUntil(controller.close());
  });

  it("a refusal by the device (not a lost line) is not retried", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    const received = new Map<string, number>();
    sim.device.use(countReceived(received));
    // The device refuses the first BLK it answers (as one that ran out of program memory would).
    let refused = false;
    sim.device.use({
      name: "refuse a BLK",
      outbound: (line, next) => {
        const reply = /^OK (\d+)\*/.exec(line);
        if (refused || reply === null || (received.get("BLK") ?? 0) === 0) return next(line);
        refused = true;
        next(encode({ type: "ER", seq: Number(reply[1]), code: ErrorCode.ProgramTooLarge }));
      },
    });
    const failure = await clock.runUntil(controller.play(sessionOf(program))).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isMassagerError(failure, ErrorCode.ProgramTooLarge)).toBe(true);
    expect(received.get("LOAD")).toBe(1);
    await clock.runUntil(controller.close());
  });
});
