/**
 * What the controller plays, as programs with their place in the session: the compiled
 * chunks (split further if the connected device stores less than they were compiled for),
 * and after a reconnect the rest of the session from the start of the step that was playing.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { type ProgramBlock, programDurationMs, type WireProgram } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";

/** A program and the session position (ms) its start stands for. */
export interface PlannedProgram {
  program: WireProgram;
  offsetMs: number;
}

export interface ProgramLimits {
  maxBlocks: number;
  maxKeys: number;
}

const LOAD_MAX_BLOCKS = 255;

/** The session's chunks with their offsets, each split at block boundaries until it fits `limits`. */
export function planPrograms(session: CompiledSession, limits: ProgramLimits): PlannedProgram[] {
  const chunks = session.chunks.length > 0 ? session.chunks : [session.program];
  const planned: PlannedProgram[] = [];
  let offsetMs = 0;
  for (const chunk of chunks) {
    for (const piece of splitToFit(chunk.blocks, limits)) {
      planned.push({ program: piece, offsetMs });
      offsetMs += programDurationMs(piece);
    }
  }
  return planned;
}

/**
 * The programs left to play when resuming at session position `positionMs`: the rest of the
 * program that holds it, from the first block of the step playing there, then the programs after.
 */
export function planFromPosition(plan: readonly PlannedProgram[], positionMs: number): PlannedProgram[] {
  const index = plan.findIndex((p) => positionMs < p.offsetMs + programDurationMs(p.program));
  if (index < 0) return [];
  const current = plan[index] as PlannedProgram;
  const blocks = current.program.blocks;
  let start = 0;
  let blockStart = current.offsetMs;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as ProgramBlock;
    if (positionMs < blockStart + block.durationMs) {
      start = i;
      break;
    }
    blockStart += block.durationMs;
  }
  const step = blocks[start]?.step;
  while (start > 0 && blocks[start - 1]?.step === step) {
    start--;
    blockStart -= (blocks[start] as ProgramBlock).durationMs;
  }
  return [{ program: { blocks: blocks.slice(start) }, offsetMs: blockStart }, ...plan.slice(index + 1)];
}

function splitToFit(blocks: readonly ProgramBlock[], limits: ProgramLimits): WireProgram[] {
  const maxBlocks = Math.min(limits.maxBlocks, LOAD_MAX_BLOCKS);
  const pieces: WireProgram[] = [];
  let current: ProgramBlock[] = [];
  let keys = 0;
  for (const block of blocks) {
    const blockKeys = block.vib.length + block.rot.length;
    if (blockKeys > limits.maxKeys) {
      throw new MassagerError(
        ErrorCode.ProgramTooLarge,
        `a block of step ${block.step} has ${blockKeys} keyframes; the device stores ${limits.maxKeys}`,
        { hint: "compile the session for this device (its maxKeys), or use a device with more memory" },
      );
    }
    if (current.length + 1 > maxBlocks || keys + blockKeys > limits.maxKeys) {
      pieces.push({ blocks: current });
      current = [];
      keys = 0;
    }
    current.push(block);
    keys += blockKeys;
  }
  if (current.length > 0) pieces.push({ blocks: current });
  return pieces;
}
