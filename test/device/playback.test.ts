/**
 * The simulator plays uploaded programs in virtual time, tick for tick.
 *
 * Most expectations here are computed with protocol/player.ts (sampleProgram, and the player
 * behind expectedOutputs, with device/simulator/slew.ts), which is the same player and slew
 * limiter the simulator's DeviceCore plays with. So those checks prove the plumbing (upload, the device's clock and ticks, the slew
 * limit over time, the end at zero), not the player's arithmetic: a wrong level would be wrong on
 * both sides. The oracle for the arithmetic is independent: the shared vectors
 * test/vectors/playback.json, which the TypeScript player (test/protocol/vectors.test.ts) and the
 * firmware's player (test/firmware/native-vectors.test.ts) must both reproduce, and the
 * hand-computed levels in HAND_LEVELS below.
 */
import { describe, expect, it } from "vitest";
import { sampleProgram } from "../../protocol/player.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { compiled, expectedOutputs, sessionOf, virtualRig } from "../support/sessions.ts";

const program: WireProgram = {
  blocks: [
    {
      durationMs: 2000,
      step: 0,
      vib: [{ dtMs: 2000, value: 600, ease: "linear" }],
      rot: [{ dtMs: 2000, value: 300, ease: "linear" }],
    },
    {
      durationMs: 4000,
      step: 1,
      vib: [
        { dtMs: 500, value: 800, ease: "sine" },
        { dtMs: 500, value: 200, ease: "sine" },
      ],
      rot: [{ dtMs: 4000, value: -300, ease: "easeInOut" }],
    },
  ],
};

/**
 * Levels worked out by hand for `program`, not by the player: linear keyframes at quarter and half
 * time, keyframe ends, and the midpoints of the symmetric easings (sine, easeInOut pass through
 * the middle value at half time). The vibration keyframes repeat within block 1 (1000 ms of keys in
 * a 4000 ms block), so at 4000 ms the second round has just ended at 200.
 */
const HAND_LEVELS: ReadonlyArray<{ posMs: number; vib?: number; rot?: number }> = [
  { posMs: 500, vib: 150, rot: 75 },
  { posMs: 1000, vib: 300, rot: 150 },
  { posMs: 1500, vib: 450, rot: 225 },
  { posMs: 2000, vib: 600, rot: 300 },
  { posMs: 2250, vib: 700 }, // sine midpoint of 600 -> 800
  { posMs: 2500, vib: 800 },
  { posMs: 3000, vib: 200 },
  { posMs: 4000, vib: 200, rot: 0 }, // rot: easeInOut midpoint of 300 -> -300
];

describe("playback on the simulator in virtual time", () => {
  it("applies exactly the program's level at every tick when the slew limit is off", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { slewMs: 0 } });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(program)));
    const startMs = sim.device.core.state.sessionStartMs;
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end).toEqual({ completed: true, reason: "DONE" });
    const recorder = sim.device.recorder;
    // Every keyframe boundary and every 5 ms tick in between: the applied level is the player's.
    for (let pos = 5; pos < 6000; pos += 5) {
      const t = startMs + pos;
      if (t % 5 !== 0) continue;
      const want = sampleProgram(program, pos);
      expect(recorder.levelsAt(t), `at ${pos} ms`).toEqual({ vib: want.vib, rot: want.rot });
    }
    // The independent check: levels worked out by hand.
    for (const { posMs, ...want } of HAND_LEVELS) {
      expect(recorder.levelsAt(startMs + posMs), `at ${posMs} ms`).toMatchObject(want);
    }
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });

  it("follows the program through the slew limit, tick for tick, and ends at zero", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(program)));
    const startMs = sim.device.core.state.sessionStartMs;
    await clock.runUntil(controller.waitForEnd());
    const expected = expectedOutputs(program, startMs, startMs + 6000);
    for (const [t, levels] of expected) expect(sim.device.recorder.levelsAt(t), `at ${t}`).toEqual(levels);
    const last = sim.device.recorder.changes.at(-1);
    expect(last).toMatchObject({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });

  it("plays a compiled 20-minute routine to the end, within its caps, with steps in order", async () => {
    const session = compiled("daily-hair-care", 20, 70);
    const { clock, sim, controller } = virtualRig();
    const steps: number[] = [];
    controller.on("step", (step) => steps.push(step.index));
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(session));
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.completed).toBe(true);
    const changes = sim.device.recorder.changes;
    const vibCap = Math.round(session.caps.vibration * 1000);
    const rotCap = Math.round(session.caps.rotation * 1000);
    for (const c of changes) {
      expect(c.vib).toBeLessThanOrEqual(vibCap);
      expect(Math.abs(c.rot)).toBeLessThanOrEqual(rotCap);
    }
    const active = changes.filter((c) => c.vib !== 0 || c.rot !== 0);
    const span = (active.at(-1)?.tMs ?? 0) - (active[0]?.tMs ?? 0);
    expect(span).toBeGreaterThan(session.durationMs - 3000);
    expect(span).toBeLessThan(session.durationMs + 3000);
    expect(steps).toEqual(session.steps.map((s) => s.index));
    await clock.runUntil(controller.close());
  });
});
