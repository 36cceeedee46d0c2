/**
 * Splits a session into programs the device can store, at step boundaries: greedily, as
 * many consecutive steps per chunk as fit. Each chunk starts and ends with its own ramp, and
 * the chunks' durations add up to the session's. A step that fits only without its step cue
 * (a device with very little program memory) gets a chunk of its own without it.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { programKeyCount, type WireProgram } from "../../protocol/program.ts";
import { buildProgram } from "./blocks.ts";
import type { DeviceLimits, ResolvedOptions } from "./options.ts";
import type { PlannedStep } from "./plan.ts";

/** True when the device can store `program` in one upload. */
export function fitsDevice(program: WireProgram, device: DeviceLimits): boolean {
  return program.blocks.length <= device.maxBlocks && programKeyCount(program) <= device.maxKeys;
}

export function splitIntoChunks(steps: readonly PlannedStep[], options: ResolvedOptions): WireProgram[] {
  const chunks: WireProgram[] = [];
  let group: PlannedStep[] = [];
  let built: WireProgram | undefined;
  for (const step of steps) {
    const candidate = buildProgram([...group, step], options);
    if (fitsDevice(candidate, options.device)) {
      group.push(step);
      built = candidate;
      continue;
    }
    if (built !== undefined) chunks.push(built);
    group = [step];
    built = buildProgram(group, options);
    if (!fitsDevice(built, options.device)) {
      // The step cue's keyframes are what a device this small cannot hold: this step plays without it.
      const bare = buildProgram(group, { ...options, stepCue: false });
      if (!fitsDevice(bare, options.device)) throw tooLarge(step, bare, options.device);
      chunks.push(bare);
      group = [];
      built = undefined;
    }
  }
  if (built !== undefined) chunks.push(built);
  return chunks;
}

function tooLarge(step: PlannedStep, program: WireProgram, device: DeviceLimits): MassagerError {
  return new MassagerError(
    ErrorCode.ProgramTooLarge,
    `pattern "${step.pattern.id}" needs ${program.blocks.length} blocks and ${programKeyCount(program)} keyframes; ` +
      `the device stores ${device.maxBlocks} blocks and ${device.maxKeys} keyframes`,
    { hint: "use a pattern with fewer keyframes" },
  );
}
