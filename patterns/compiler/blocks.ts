/**
 * Lays planned steps out as program blocks. Within one program (a whole session or one
 * chunk of it):
 *
 *   [ramp-in] body₀ | [transition] body₁ | ... | [transition] bodyₙ [ramp-out]
 *
 * - ramp-in: from 0 to the first pattern's cycle-end level, so its first cycle starts as every later one does;
 * - transition: from wherever the previous step was cut to the next pattern's cycle-end level;
 * - ramp-out: from wherever the last step was cut down to 0.
 * With the step cue on, every step after the first opens with the cue (step-cue.ts) in the same
 * block as its transition or ramp-in: the vibration drops, pulses twice, then moves on to the
 * step's level, while the rotation moves to its level over the whole block.
 * Each takes its time from the step it belongs to (at most a quarter of it), so every step
 * keeps its slot and the program lasts exactly as long as its steps.
 */
import type { WireKey } from "../../protocol/fields.ts";
import type { ProgramBlock, WireProgram } from "../../protocol/program.ts";
import { stepCaps, wireTrack } from "./levels.ts";
import type { ResolvedOptions } from "./options.ts";
import type { PlannedStep } from "./plan.ts";
import { cueKeys, cueLevel } from "./step-cue.ts";

/** The shortest lead (transition or ramp-in) left after a step cue, ms. */
const MIN_LEAD_AFTER_CUE_MS = 100;

/** Ramps and transitions ease in and out: no kink where they meet a held level. */
const RAMP_EASE = "easeInOut";

interface StepTracks {
  vib: WireKey[];
  rot: WireKey[];
}

/** The step's pattern as wire tracks, at the session's level intensity and under the step's caps. */
function stepTracks(step: PlannedStep, options: ResolvedOptions): StepTracks {
  const caps = stepCaps(step.pattern, options);
  return {
    vib: wireTrack(step.pattern.vibration, options.levelIntensity, caps.vibration),
    rot: wireTrack(step.pattern.rotation, options.levelIntensity, caps.rotation),
  };
}

/** The step cue's keyframes for `step`, or undefined when it has none (the first step, cue off, no room, cap 0). */
function stepCue(step: PlannedStep, options: ResolvedOptions, fromZero: boolean, quarterMs: number) {
  if (!options.stepCue || step.index === 0) return undefined;
  const level = cueLevel(options.levelIntensity, stepCaps(step.pattern, options).vibration);
  if (level <= 0) return undefined;
  const cue = cueKeys(level, fromZero);
  return cue.durationMs + MIN_LEAD_AFTER_CUE_MS <= quarterMs ? cue : undefined;
}

/** The blocks of the given consecutive steps as one program that starts and ends at zero. */
export function buildProgram(steps: readonly PlannedStep[], options: ResolvedOptions): WireProgram {
  const blocks: ProgramBlock[] = [];
  steps.forEach((step, position) => {
    const first = position === 0;
    const last = position === steps.length - 1;
    const tracks = stepTracks(step, options);
    const quarter = Math.floor(step.durationMs / 4);
    const rampIn = first ? Math.min(options.rampMs, quarter) : 0;
    const transition = first ? 0 : Math.min(Math.round(options.rampMs / 2), quarter);
    const rampOut = last ? Math.min(options.rampMs, quarter) : 0;
    const cue = stepCue(step, options, first, quarter);
    const cueMs = cue?.durationMs ?? 0;
    const lead = cueMs + Math.min(rampIn + transition, quarter - cueMs);
    if (lead > 0) {
      // A ramp-in starts from 0, so a track whose target is 0 needs no keyframe; a transition
      // starts from a cut level that is only known while playing, so it always moves. After a
      // cue the vibration starts from 0 again.
      const vibTarget = cycleEnd(tracks.vib);
      blocks.push({
        durationMs: lead,
        step: step.index,
        vib: cue ? [...cue.keys, ...towards(vibTarget, lead - cueMs, true)] : towards(vibTarget, lead, first),
        rot: towards(cycleEnd(tracks.rot), lead, first),
      });
    }
    blocks.push({ durationMs: step.durationMs - lead - rampOut, step: step.index, vib: tracks.vib, rot: tracks.rot });
    if (rampOut > 0) {
      const down = [{ dtMs: rampOut, value: 0, ease: RAMP_EASE } as const];
      blocks.push({ durationMs: rampOut, step: step.index, vib: [...down], rot: [...down] });
    }
  });
  return { blocks };
}

function cycleEnd(track: readonly WireKey[]): number {
  return track.at(-1)?.value ?? 0;
}

function towards(value: number, durationMs: number, fromZero: boolean): WireKey[] {
  if (fromZero && value === 0) return [];
  return [{ dtMs: durationMs, value, ease: RAMP_EASE }];
}
