/**
 * Issue 12 item 2 on the real firmware: the step cue's two gentle pulses reach the vibration
 * motor's pin (D10) at each step change, played by massager.elf on the emulated Uno from a program
 * the controller uploaded. Assertions are on the pin's duty in simulation time, aligned on the
 * session's first motion (the host's latency is in none of them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { Controller } from "../../device/controller/controller.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import { wireLevel } from "../../patterns/compiler/levels.ts";
import { CUE_LEVEL, CUE_MS, compileSession, getRoutine } from "../../patterns/index.ts";
import { dutyOf, firmware, motorTimeline, sampleAt, startMassagerBoard } from "./support/massager-board.ts";

/** Pulses in a duty trace: rises through half of `duty` from below a quarter of it. */
function pulses(trace: readonly number[], duty: number): number {
  let count = 0;
  let low = false;
  for (const v of trace) {
    if (v <= duty / 4) low = true;
    if (low && v >= duty / 2) {
      count++;
      low = false;
    }
  }
  return count;
}

describe.skipIf(!firmware.ok)("the step cue on the firmware's pins", () => {
  let board: EmulatedBoard;

  beforeAll(async () => {
    if (!firmware.ok) return;
    board = await startMassagerBoard(firmware.value);
  });

  afterAll(async () => {
    await board?.stop();
  });

  it("pulses the vibration pin twice at each step change", { timeout: 120_000 }, async () => {
    const controller = new Controller({
      transport: () => new SerialTransport({ path: board.ptyPath }),
      reconnect: false,
    });
    try {
      const info = await controller.connect();
      const source = getRoutine("daily-hair-care");
      if (!source) throw new Error("no routine daily-hair-care");
      // 24 s: the shortest step (a fifth) lasts 4.8 s, long enough for its cue.
      const session = compileSession(source, {
        minutes: 0.4,
        intensity: 80,
        device: { maxBlocks: info.maxBlocks, maxKeys: info.maxKeys, vibrationCap: 1, rotationCap: 1, gain: info.gain },
      });
      expect(session.chunks).toHaveLength(1);
      const since = board.events.length;
      await controller.play(session);
      const end = await controller.waitForEnd();
      expect(end).toEqual({ completed: true, reason: "DONE" });
      const timeline = motorTimeline(board.events, since);
      const firstMotion = timeline.find((s) => s.vib !== 0 || s.rot !== 0);
      expect(firstMotion).toBeDefined();
      // The ramp-in starts on the first tick after START: the session's time zero within a tick.
      const zeroUs = firstMotion?.timeUs ?? 0;
      const duty = dutyOf(Math.trunc((wireLevel(CUE_LEVEL, 100, 1) * 800) / 1000));
      for (const step of session.steps.slice(1)) {
        const trace: number[] = [];
        for (let ms = -20; ms <= CUE_MS + 30; ms += 2)
          trace.push(sampleAt(timeline, zeroUs + (step.startMs + ms) * 1000).vib);
        expect(pulses(trace, duty), `step ${step.index} at ${step.startMs} ms`).toBe(2);
        expect(Math.max(...trace.slice(Math.floor(420 / 2)))).toBeLessThanOrEqual(duty + 1);
      }
    } finally {
      await controller.close();
    }
  });
});
