/**
 * The pattern compiler: a pattern or routine, minutes, intensity and limits in, the program a
 * device plays out.
 *
 *   source ──plan──► steps with time slots ──blocks──► WireProgram ──chunks──► programs that fit
 *
 * The only place a session is split: at step boundaries, each chunk with its own ramps. The
 * controller, the streamer and the chart all play these chunks (protocol/session.ts).
 *
 * Guarantees (held by test/patterns/compiler.property.test.ts): the program lasts exactly the
 * requested minutes, starts and ends at zero with a soft ramp, and no level exceeds its step's
 * caps (during the short transition that opens a step, the higher of its and the previous
 * step's caps: the level eases from one to the other rather than jumping).
 */
import type { Pattern, Routine } from "../protocol/pattern.ts";
import type { CompiledSession, SessionCaps } from "../protocol/session.ts";
import { buildProgram } from "./compiler/blocks.ts";
import { fitsDevice, splitIntoChunks } from "./compiler/chunks.ts";
import { stepCaps } from "./compiler/levels.ts";
import { type CompileOptions, resolveOptions } from "./compiler/options.ts";
import { type PatternLookup, planSteps } from "./compiler/plan.ts";
import { getPattern } from "./library/index.ts";

export {
  type CompileOptions,
  DEFAULT_DEVICE_LIMITS,
  DEFAULT_RAMP_MS,
  type DeviceLimits,
  MIN_STEP_MS,
} from "./compiler/options.ts";
export { defaultCue, isRoutine, type PatternLookup } from "./compiler/plan.ts";
export { CUE_LEVEL, CUE_MS } from "./compiler/step-cue.ts";
export { sessionTimeline, type Timeline } from "./compiler/timeline.ts";

/**
 * Compiles a pattern or a routine into a session. Routines find their patterns with `lookup`
 * (the built-in library by default). Throws MassagerError: InvalidOption (603) for bad options,
 * PatternNotFound (600), InvalidPattern (601), ProgramTooLarge (201) when one step alone
 * cannot fit the device.
 */
export function compileSession(
  source: Pattern | Routine,
  options: CompileOptions,
  lookup: PatternLookup = getPattern,
): CompiledSession {
  const resolved = resolveOptions(options);
  const steps = planSteps(source, resolved.durationMs, lookup);
  const program = buildProgram(steps, resolved);
  const chunks = fitsDevice(program, resolved.device) ? [program] : splitIntoChunks(steps, resolved);
  const caps: SessionCaps = { vibration: 0, rotation: 0 };
  for (const step of steps) {
    const own = stepCaps(step.pattern, resolved);
    caps.vibration = Math.max(caps.vibration, own.vibration);
    caps.rotation = Math.max(caps.rotation, own.rotation);
  }
  return {
    sourceId: source.id,
    name: source.name,
    goal: source.goal,
    durationMs: resolved.durationMs,
    intensity: resolved.intensity,
    intensityIn: resolved.device.gain ? "gain" : "levels",
    caps,
    steps: steps.map((step) => ({
      index: step.index,
      patternId: step.pattern.id,
      name: step.pattern.name,
      cue: step.cue,
      technique: step.pattern.technique,
      zones: [...step.pattern.zones],
      pressure: step.pattern.pressure,
      startMs: step.startMs,
      durationMs: step.durationMs,
    })),
    chunks,
  };
}
