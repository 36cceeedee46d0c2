/**
 * Issue 12 item 2: a short, gentle double pulse of the vibration motor at each step change,
 * compiled into the program, so it plays on the device itself. Checked in the simulator's trace
 * (the applied levels it records, what `--trace` writes), in virtual time.
 */
import { describe, expect, it } from "vitest";
import { wireLevel } from "../../patterns/compiler/levels.ts";
import { CUE_LEVEL, CUE_MS, compileSession, getRoutine } from "../../patterns/index.ts";
import { type CompiledSession, playedProgram } from "../../protocol/session.ts";
import { virtualRig } from "../support/sessions.ts";

const ROUTINE = "daily-hair-care";

function compiled(options: { stepCue?: boolean; gain?: boolean; intensity?: number }): CompiledSession {
  const source = getRoutine(ROUTINE);
  if (!source) throw new Error(`no routine ${ROUTINE}`);
  return compileSession(source, {
    minutes: 2,
    intensity: options.intensity ?? 80,
    device: { maxBlocks: 16, maxKeys: 96, vibrationCap: 1, rotationCap: 1, gain: options.gain ?? false },
    ...(options.stepCue !== undefined ? { stepCue: options.stepCue } : {}),
  });
}

/** The vibration the device applied every 5 ms from `fromMs` for `ms` (device output time). */
async function playAndSample(session: CompiledSession) {
  const { clock, sim, controller } = virtualRig();
  await clock.runUntil(controller.connect());
  await clock.runUntil(controller.play(session));
  const startMs = sim.device.core.state.sessionStartMs - sim.device.core.originMs;
  const end = await clock.runUntil(controller.waitForEnd());
  expect(end).toEqual({ completed: true, reason: "DONE" });
  await clock.runUntil(controller.close());
  return (fromMs: number, ms: number) => {
    const out: number[] = [];
    for (let t = 0; t <= ms; t += 5) out.push(sim.device.recorder.levelsAt(startMs + fromMs + t).vib);
    return out;
  };
}

/** Pulses in a vibration trace: rises through half of `level` from below a quarter of it. */
function pulses(trace: readonly number[], level: number): number {
  let count = 0;
  let low = false;
  for (const v of trace) {
    if (v <= level / 4) low = true;
    if (low && v >= level / 2) {
      count++;
      low = false;
    }
  }
  return count;
}

describe("the step cue", () => {
  it("the device gives two gentle pulses at each step change, and none elsewhere in the cue's window", async () => {
    const session = compiled({});
    expect(session.chunks).toHaveLength(1);
    expect(session.steps.length).toBeGreaterThanOrEqual(3);
    const vibrationAt = await playAndSample(session);
    const level = wireLevel(CUE_LEVEL, 80, 1);
    for (const step of session.steps.slice(1)) {
      const cue = vibrationAt(step.startMs, CUE_MS);
      // The drop: the motor reaches zero before the first pulse.
      expect(Math.min(...cue.slice(0, Math.floor(450 / 5)))).toBe(0);
      expect(pulses(cue, level)).toBe(2);
      // Gentle: never above the pulse level once the drop is over, and never a jump (slew limit).
      expect(Math.max(...cue.slice(Math.floor(400 / 5)))).toBeLessThanOrEqual(level);
      for (let i = 1; i < cue.length; i++) {
        expect(Math.abs((cue[i] ?? 0) - (cue[i - 1] ?? 0))).toBeLessThanOrEqual(13); // 2.5 per ms over 5 ms, +rounding
      }
    }
  });

  it("the pulses scale with the live intensity (GAIN) like everything else", async () => {
    const session = compiled({ gain: true, intensity: 50 });
    expect(session.intensityIn).toBe("gain");
    const vibrationAt = await playAndSample(session);
    const level = Math.trunc((wireLevel(CUE_LEVEL, 100, 1) * 500) / 1000);
    for (const step of session.steps.slice(1)) {
      const cue = vibrationAt(step.startMs, CUE_MS);
      expect(pulses(cue, level)).toBe(2);
      expect(Math.max(...cue.slice(Math.floor(400 / 5)))).toBeLessThanOrEqual(level);
    }
  });

  it("stepCue: false compiles no cue: the same steps, each opening with a single smooth transition", () => {
    const on = compiled({});
    const off = compiled({ stepCue: false });
    expect(off.steps).toEqual(on.steps);
    for (const step of off.steps.slice(1)) {
      const lead = playedProgram(off).blocks.find((block) => block.step === step.index);
      expect(lead?.vib.length).toBeLessThanOrEqual(1);
      const cued = playedProgram(on).blocks.find((block) => block.step === step.index);
      expect(cued?.vib.length).toBeGreaterThanOrEqual(5);
    }
  });

  it("no cue at the start of a session", () => {
    const session = compiled({});
    const first = playedProgram(session).blocks.find((block) => block.step === 0);
    expect(first?.vib.length).toBeLessThanOrEqual(1);
  });
});
