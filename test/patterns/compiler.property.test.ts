/**
 * For every built-in pattern and routine, any length (0.5..60 min), any intensity and any
 * personal and device caps: exact duration, positive keyframe times, levels within caps,
 * a start and an end at zero, and chunks that fit the device.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CompileOptions,
  compileSession,
  type DeviceLimits,
  getPattern,
  listPatterns,
  listRoutines,
  sessionTimeline,
} from "../../patterns/index.ts";
import {
  type CompiledSession,
  type Pattern,
  PatternSchema,
  PRESSURE_CAPS,
  ProgramPlayer,
  programDurationMs,
  programKeyCount,
  type Routine,
  RoutineSchema,
  sampleProgram,
  type WireProgram,
} from "../../protocol/index.ts";
import { playedProgram } from "../../protocol/session.ts";

const sources: (Pattern | Routine)[] = [...listPatterns(), ...listRoutines()];

const device: fc.Arbitrary<DeviceLimits> = fc.record({
  // Small limits force chunking; the smallest still holds any one built-in step (3 blocks, 20 keys).
  maxBlocks: fc.integer({ min: 3, max: 32 }),
  maxKeys: fc.integer({ min: 24, max: 200 }),
  vibrationCap: fc.double({ min: 0, max: 1, noNaN: true }),
  rotationCap: fc.double({ min: 0, max: 1, noNaN: true }),
  // Live intensity (protocol 1.1): levels at 100 %, the intensity applied as the device's gain.
  gain: fc.boolean(),
});

const options: fc.Arbitrary<CompileOptions> = fc
  .record(
    {
      minutes: fc.double({ min: 0.5, max: 60, noNaN: true }),
      intensity: fc.double({ min: 0, max: 100, noNaN: true }),
      personalMax: fc.double({ min: 0, max: 1, noNaN: true }),
      device,
      stepCue: fc.boolean(),
    },
    { requiredKeys: ["minutes", "intensity"] },
  )
  .map((value) => value as CompileOptions);

function patternOf(source: Pattern | Routine, step: number): Pattern {
  if (!("steps" in source)) return source;
  const found = getPattern(source.steps[step]?.pattern ?? "");
  if (!found) throw new Error(`step ${step} of ${source.id} has no pattern`);
  return found;
}

/** The largest wire level a step may reach, computed here from the rules rather than taken from the compiler. */
function wireCaps(pattern: Pattern, opts: CompileOptions): { vib: number; rot: number } {
  const shared = Math.min(PRESSURE_CAPS[pattern.pressure], opts.personalMax ?? 1);
  const vib = Math.min(shared, opts.device?.vibrationCap ?? 1);
  const rot = Math.min(shared, opts.device?.rotationCap ?? 1);
  return { vib: Math.floor(vib * 1000 + 1e-9), rot: Math.floor(rot * 1000 + 1e-9) };
}

function expectStartsAndEndsAtZero(program: WireProgram): void {
  expect(sampleProgram(program, 0)).toMatchObject({ vib: 0, rot: 0 });
  const end = new ProgramPlayer(program).sample(programDurationMs(program));
  expect(end).toMatchObject({ vib: 0, rot: 0, done: true });
}

function checkSession(source: Pattern | Routine, opts: CompileOptions, session: CompiledSession): void {
  const durationMs = Math.round(opts.minutes * 60_000);
  expect(session.durationMs).toBe(durationMs);
  expect(programDurationMs(playedProgram(session))).toBe(durationMs);
  expect(session.chunks.reduce((sum, chunk) => sum + programDurationMs(chunk), 0)).toBe(durationMs);

  // Steps tile the session.
  let at = 0;
  for (const step of session.steps) {
    expect(step.startMs).toBe(at);
    expect(step.durationMs).toBeGreaterThan(0);
    at += step.durationMs;
  }
  expect(at).toBe(durationMs);

  for (const block of playedProgram(session).blocks) {
    expect(block.durationMs).toBeGreaterThanOrEqual(1);
    const caps = wireCaps(patternOf(source, block.step), opts);
    // Keyframe times strictly increase: every keyframe lasts at least 1 ms.
    for (const key of [...block.vib, ...block.rot]) expect(key.dtMs).toBeGreaterThanOrEqual(1);
    for (const key of block.vib) {
      expect(key.value).toBeGreaterThanOrEqual(0);
      expect(key.value).toBeLessThanOrEqual(caps.vib);
    }
    for (const key of block.rot) expect(Math.abs(key.value)).toBeLessThanOrEqual(caps.rot);
  }

  const limits = opts.device ?? { maxBlocks: 16, maxKeys: 96 };
  for (const chunk of session.chunks) {
    expect(chunk.blocks.length).toBeLessThanOrEqual(limits.maxBlocks);
    expect(programKeyCount(chunk)).toBeLessThanOrEqual(limits.maxKeys);
    expectStartsAndEndsAtZero(chunk);
  }
  expectStartsAndEndsAtZero(playedProgram(session));

  // What plays between keyframes stays within the caps too (interpolation never overshoots).
  // A step's first moments may still carry the previous step's level down (or up) to its own:
  // there the higher of the two caps applies.
  const stepMs = Math.max(997, Math.floor(durationMs / 400));
  const timeline = sessionTimeline(session, stepMs);
  // One sample every stepMs from 0, and one at the end.
  expect(timeline.stepMs).toBe(stepMs);
  expect(timeline.vibration).toHaveLength(Math.ceil(durationMs / stepMs) + 1);
  expect(timeline.rotation).toHaveLength(timeline.vibration.length);
  // Whole device units: at most 3 decimals in the API's JSON.
  const long = [...timeline.vibration, ...timeline.rotation].filter((level) => !/^-?\d+(\.\d{1,3})?$/.test(`${level}`));
  expect(long).toEqual([]);
  // The step playing at each sample, as the reference player labels it.
  const steps = new ProgramPlayer(playedProgram(session));
  timeline.vibration.forEach((vibration, index) => {
    const tMs = Math.min(index * stepMs, durationMs);
    const step = steps.sample(tMs).step;
    const rotation = timeline.rotation[index] ?? Number.NaN;
    const own = wireCaps(patternOf(source, step), opts);
    const before = step > 0 ? wireCaps(patternOf(source, step - 1), opts) : own;
    const inTransition = tMs - (session.steps[step]?.startMs ?? 0) < (opts.rampMs ?? 1500);
    const caps = inTransition ? { vib: Math.max(own.vib, before.vib), rot: Math.max(own.rot, before.rot) } : own;
    expect(Math.round(vibration * 1000)).toBeLessThanOrEqual(caps.vib);
    expect(Math.round(Math.abs(rotation) * 1000)).toBeLessThanOrEqual(caps.rot);
  });
}

describe("compiler properties", () => {
  it("every built-in pattern and routine validates", () => {
    for (const pattern of listPatterns()) expect(PatternSchema.safeParse(pattern).success).toBe(true);
    for (const routine of listRoutines()) expect(RoutineSchema.safeParse(routine).success).toBe(true);
  });

  it("compiles every built-in source, at any length, intensity and caps, to a safe exact program", () => {
    fc.assert(
      fc.property(fc.constantFrom(...sources), options, (source, opts) => {
        checkSession(source, opts, compileSession(source, opts));
      }),
      { numRuns: 250 },
    );
  });

  it("holds for every built-in source at its edge lengths and full intensity", () => {
    for (const source of sources) {
      for (const minutes of [0.5, 1 / 3, 7.77777, 60]) {
        const opts = { minutes, intensity: 100 };
        checkSession(source, opts, compileSession(source, opts));
      }
    }
  });
});
