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
    expect(recorder.levelsAt(startMs + 2000)).toEqual({ vib: 600, rot: 300 });
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
