/**
 * Lays planned steps out as program blocks. Within one program (a whole session or one
 * chunk of it):
 *
 *   [ramp-in] body₀ | [transition] body₁ | ... | [transition] bodyₙ [ramp-out]
 *
 * - ramp-in: from 0 to the first pattern's cycle-end level, so its first cycle starts as every later one does;
 * - transition: from wherever the previous step was cut to the next pattern's cycle-end level;
 * - ramp-out: from wherever the last step was cut down to 0.
 * Each takes its time from the step it belongs to (at most a quarter of it), so every step
 * keeps its slot and the program lasts exactly as long as its steps.
 */
import type { WireKey } from "../../protocol/fields.ts";
import type { ProgramBlock, WireProgram } from "../../protocol/program.ts";
import { stepCaps, wireTrack } from "./levels.ts";
import type { ResolvedOptions } from "./options.ts";
import type { PlannedStep } from "./plan.ts";

/** Ramps and transitions ease in and out: no kink where they meet a held level. */
const RAMP_EASE = "easeInOut";

interface StepTracks {
  vib: WireKey[];
  rot: WireKey[];
}

/** The step's pattern as wire tracks, at the session's intensity and under the step's caps. */
export function stepTracks(step: PlannedStep, options: ResolvedOptions): StepTracks {
  const caps = stepCaps(step.pattern, options);
  return {
    vib: wireTrack(step.pattern.vibration, options.intensity, caps.vibration),
    rot: wireTrack(step.pattern.rotation, options.intensity, caps.rotation),
  };
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
    const lead = rampIn + transition;
    if (lead > 0) {
      // A ramp-in starts from 0, so a track whose target is 0 needs no keyframe; a transition
      // starts from a cut level that is only known while playing, so it always moves.
      blocks.push({
        durationMs: lead,
        step: step.index,
        vib: towards(cycleEnd(tracks.vib), lead, first),
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
