import { describe, expect, it } from "vitest";
import {
  compileSession,
  defaultMinutes,
  getPattern,
  getRoutine,
  listRoutines,
  sessionTimeline,
} from "../../patterns/index.ts";
import { ErrorCode, isMassagerError, type Pattern, programDurationMs, programKeyCount } from "../../protocol/index.ts";
import { playedProgram } from "../../protocol/session.ts";

function pattern(id: string): Pattern {
  const found = getPattern(id);
  if (!found) throw new Error(`no built-in pattern ${id}`);
  return found;
}

function expectCode(run: () => unknown, code: number): void {
  try {
    run();
  } catch (error) {
    expect(isMassagerError(error) && error.code).toBe(code);
    return;
  }
  expect.fail(`expected MassagerError ${code}`);
}

describe("compileSession", () => {
  it("fills exactly the requested minutes, decimals included", () => {
    const session = compileSession(pattern("scalp-circles"), { minutes: 2.345, intensity: 70 });
    expect(session.durationMs).toBe(140_700);
    expect(programDurationMs(playedProgram(session))).toBe(140_700);
  });

  it("ramps in from zero and out to zero around the pattern", () => {
    const session = compileSession(pattern("scalp-circles"), { minutes: 1, intensity: 100 });
    const [rampIn, body, rampOut] = playedProgram(session).blocks;
    expect(playedProgram(session).blocks).toHaveLength(3);
    expect(rampIn?.durationMs).toBe(1500);
    // The ramp aims at the cycle's last level, so the first cycle starts like every other one.
    expect(rampIn?.rot).toEqual([{ dtMs: 1500, value: -600, ease: "easeInOut" }]);
    expect(body?.durationMs).toBe(60_000 - 3000);
    expect(rampOut?.vib).toEqual([{ dtMs: 1500, value: 0, ease: "easeInOut" }]);
    const timeline = sessionTimeline(session, 250);
    // Every 250 ms from 0 to 60 000 ms, both ends included.
    expect(timeline.stepMs).toBe(250);
    expect(timeline.vibration).toHaveLength(241);
    expect(timeline.rotation).toHaveLength(241);
    expect([timeline.vibration[0], timeline.rotation[0]]).toEqual([0, 0]);
    expect([timeline.vibration.at(-1), timeline.rotation.at(-1)]).toEqual([0, 0]);
    expect(timeline.durationMs).toBe(60_000);
    // A quarter of the way into the ramp (500 ms) the level has left zero but is far from the target.
    const early = timeline.rotation[500 / 250];
    expect(Math.abs(early ?? 0)).toBeGreaterThan(0);
    expect(Math.abs(early ?? 1)).toBeLessThan(0.6);
  });

  it("shortens the ramps for a very short session", () => {
    const session = compileSession(pattern("scalp-circles"), { minutes: 0.05, intensity: 100 });
    expect(session.durationMs).toBe(3000);
    // 3000 ms every 700 ms: samples at 0, 700, 1400, 2100, 2800 and the last at the end, 3000 (the chart's last x).
    const coarse = sessionTimeline(session, 700);
    expect(coarse.vibration).toHaveLength(6);
    expect(coarse.durationMs).toBe(3000);
    expect(playedProgram(session).blocks[0]?.durationMs).toBe(750);
    expect(playedProgram(session).blocks.at(-1)?.durationMs).toBe(750);
  });

  it("scales by the intensity and caps at the pressure, the person and the device", () => {
    const knead = pattern("neck-shoulder-knead"); // firm: vibration reaches 0.9
    const full = compileSession(knead, { minutes: 1, intensity: 100 });
    expect(Math.max(...(playedProgram(full).blocks[1]?.vib ?? []).map((key) => key.value))).toBe(900);
    const half = compileSession(knead, { minutes: 1, intensity: 50 });
    expect(Math.max(...(playedProgram(half).blocks[1]?.vib ?? []).map((key) => key.value))).toBe(450);
    const personal = compileSession(knead, { minutes: 1, intensity: 100, personalMax: 0.5 });
    expect(personal.caps).toEqual({ vibration: 0.5, rotation: 0.5 });
    expect(Math.max(...(playedProgram(personal).blocks[1]?.vib ?? []).map((key) => key.value))).toBe(500);
    expect(Math.min(...(playedProgram(personal).blocks[1]?.rot ?? []).map((key) => key.value))).toBe(-500);
    const device = { maxBlocks: 16, maxKeys: 96, vibrationCap: 1, rotationCap: 0.3 };
    const capped = compileSession(knead, { minutes: 1, intensity: 100, device });
    expect(capped.caps).toEqual({ vibration: 1, rotation: 0.3 });
    expect((playedProgram(capped).blocks[1]?.rot ?? []).map((key) => key.value)).toEqual([300, 300, -300, -300]);
    // Light pressure caps at 0.6 even at full intensity.
    const light = compileSession(pattern("shower-lather"), { minutes: 1, intensity: 100, personalMax: 1 });
    expect(light.caps.vibration).toBe(0.6);
  });

  it("for a device with live intensity, compiles the levels at 100 % within the caps and leaves the intensity to its gain", () => {
    const device = { maxBlocks: 16, maxKeys: 96, vibrationCap: 1, rotationCap: 1 };
    const live = compileSession(pattern("scalp-circles"), {
      minutes: 1,
      intensity: 40,
      device: { ...device, gain: true },
    });
    const full = compileSession(pattern("scalp-circles"), { minutes: 1, intensity: 100, device });
    const baked = compileSession(pattern("scalp-circles"), { minutes: 1, intensity: 40, device });
    expect(live.intensityIn).toBe("gain");
    expect(live.intensity).toBe(40);
    expect(live.caps).toEqual(full.caps);
    expect(playedProgram(live)).toEqual(playedProgram(full));
    expect(baked.intensityIn).toBe("levels");
    // The chart of a live session shows what the device plays: its levels through the gain.
    const a = sessionTimeline(live, 250);
    const b = sessionTimeline(baked, 250);
    expect(a.vibration).toHaveLength(b.vibration.length);
    expect(Math.max(...a.vibration.map((v, i) => Math.abs(v - (b.vibration[i] ?? 0))))).toBeLessThanOrEqual(0.002);
    expect(Math.max(...a.vibration)).toBeGreaterThan(0.1);
    // Levels through a gain of 400 are still whole device units: at most 3 decimals in the API's JSON.
    const long = [...a.vibration, ...a.rotation].filter((level) => !/^-?\d+(\.\d{1,3})?$/.test(`${level}`));
    expect(long).toEqual([]);
  });

  it("refuses a step cue option that is not a boolean, naming it", () => {
    expectCode(
      () =>
        compileSession(pattern("scalp-circles"), { minutes: 1, intensity: 50, stepCue: "no" as unknown as boolean }),
      ErrorCode.InvalidOption,
    );
  });

  it("scales a routine's steps to the minutes asked for and keeps every cue with its time", () => {
    const routine = getRoutine("quick-shower");
    if (!routine) throw new Error("quick-shower missing");
    expect(defaultMinutes(routine)).toBe(3);
    const session = compileSession(routine, { minutes: 6, intensity: 60 });
    expect(session.steps.map((step) => [step.index, step.patternId, step.startMs, step.durationMs])).toEqual([
      [0, "shower-lather", 0, 240_000],
      [1, "scalp-refresh", 240_000, 120_000],
    ]);
    expect(session.steps[1]?.cue).toBe(routine.steps[1]?.cue);
    // Every block belongs to its step, and the blocks of a step add up to the step's slot.
    for (const step of session.steps) {
      const blocks = playedProgram(session).blocks.filter((block) => block.step === step.index);
      expect(blocks.reduce((sum, block) => sum + block.durationMs, 0)).toBe(step.durationMs);
    }
  });

  it("splits a program the device cannot store into chunks at step boundaries, each with its ramps", () => {
    const routine = getRoutine("relaxing-head-massage");
    if (!routine) throw new Error("relaxing-head-massage missing");
    const device = { maxBlocks: 6, maxKeys: 40, vibrationCap: 1, rotationCap: 1 };
    const session = compileSession(routine, { minutes: 9, intensity: 100, device });
    expect(session.chunks.length).toBeGreaterThan(1);
    expect(session.chunks.reduce((sum, chunk) => sum + programDurationMs(chunk), 0)).toBe(540_000);
    for (const chunk of session.chunks) {
      expect(chunk.blocks.length).toBeLessThanOrEqual(6);
      expect(programKeyCount(chunk)).toBeLessThanOrEqual(40);
      expect(chunk.blocks.at(-1)?.vib).toEqual([{ dtMs: 1500, value: 0, ease: "easeInOut" }]);
    }
    const timeline = sessionTimeline(session, 1000);
    const boundary = programDurationMs(session.chunks[0] ?? { blocks: [] });
    expect(boundary % 1000).toBe(0);
    expect(boundary).toBeLessThan(session.durationMs);
    expect([timeline.vibration[boundary / 1000], timeline.rotation[boundary / 1000]]).toEqual([0, 0]);
  });

  it("compiles every built-in routine to one chunk at the default device limits", () => {
    for (const routine of listRoutines()) {
      const session = compileSession(routine, { minutes: defaultMinutes(routine), intensity: 100 });
      expect(session.chunks, routine.id).toHaveLength(1);
    }
  });

  it("refuses bad options, unknown patterns and a routine squeezed below two seconds a step", () => {
    const circles = pattern("scalp-circles");
    expectCode(() => compileSession(circles, { minutes: 0, intensity: 50 }), ErrorCode.InvalidOption);
    expectCode(() => compileSession(circles, { minutes: 5, intensity: 101 }), ErrorCode.InvalidOption);
    expectCode(() => compileSession(circles, { minutes: 5, intensity: 50, personalMax: 2 }), ErrorCode.InvalidOption);
    const routine = {
      id: "mine",
      name: "Mine",
      description: "A routine naming a pattern that does not exist.",
      goal: "hair" as const,
      steps: [{ pattern: "no-such-pattern", minutes: 1, cue: "Anywhere." }],
    };
    expectCode(() => compileSession(routine, { minutes: 5, intensity: 50 }), ErrorCode.PatternNotFound);
    const lopsided = {
      ...routine,
      steps: [
        { pattern: "scalp-circles", minutes: 60, cue: "Long." },
        { pattern: "scalp-tapping", minutes: 0.25, cue: "Short." },
      ],
    };
    expectCode(() => compileSession(lopsided, { minutes: 1, intensity: 50 }), ErrorCode.InvalidOption);
    expectCode(
      () =>
        compileSession({ ...circles, vibration: [{ ms: 100, to: 2, ease: "linear" }] }, { minutes: 1, intensity: 50 }),
      ErrorCode.InvalidPattern,
    );
  });

  it("uses the lookup it is given for a routine's patterns", () => {
    const mine: Pattern = { ...pattern("scalp-circles"), id: "my-circles", name: "My circles" };
    const routine = {
      id: "my-routine",
      name: "My routine",
      description: "Uses a pattern from a user file.",
      goal: "hair" as const,
      steps: [{ pattern: "my-circles", minutes: 2, cue: "Crown." }],
    };
    const session = compileSession(routine, { minutes: 2, intensity: 50 }, (id) =>
      id === "my-circles" ? mine : undefined,
    );
    expect(session.steps[0]?.name).toBe("My circles");
  });
});
