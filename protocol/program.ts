/**
 * A program as the device stores and plays it: blocks played one after another, each
 * looping its own cycle of keyframes per output until the block's duration is spent.
 * Levels are wire integers (vibration 0..1000, rotation -1000..1000).
 */
import type { WireKey } from "./fields.ts";

export interface ProgramBlock {
  /** How long the block plays, in ms; its cycles repeat and the last one is cut where the time runs out. */
  durationMs: number;
  /** The routine step this block belongs to, reported back in telemetry so the host can show its cue. */
  step: number;
  /** One cycle of vibration keyframes (0..1000); empty holds the level the block started with. */
  vib: WireKey[];
  /** One cycle of rotation keyframes (-1000..1000); empty holds the level the block started with. */
  rot: WireKey[];
}

export interface WireProgram {
  blocks: ProgramBlock[];
}

export interface Levels {
  vib: number;
  rot: number;
}

export const ZERO_LEVELS: Levels = Object.freeze({ vib: 0, rot: 0 });

export function programDurationMs(program: WireProgram): number {
  return program.blocks.reduce((sum, block) => sum + block.durationMs, 0);
}

export function programKeyCount(program: WireProgram): number {
  return program.blocks.reduce((sum, block) => sum + block.vib.length + block.rot.length, 0);
}
