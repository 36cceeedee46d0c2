/**
 * What the controller plays, as programs with their place in the session: the compiled chunks
 * (the compiler is the only place a session is split), and after a reconnect the rest of the
 * session from the start of the step that was playing.
 */
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { type ProgramBlock, programDurationMs, programKeyCount, type WireProgram } from "../../protocol/program.ts";
import { type CompiledSession, playedProgram } from "../../protocol/session.ts";

/** A program and the session position (ms) its start stands for. */
export interface PlannedProgram {
  program: WireProgram;
  offsetMs: number;
}

/**
 * The session's chunks with their offsets, for a device that stores programs. Refuses, before
 * anything moves, a chunk the device cannot store: the session was compiled for a larger device.
 */
export function planPrograms(
  session: CompiledSession,
  limits: Pick<DeviceInfo, "maxBlocks" | "maxKeys">,
): PlannedProgram[] {
  const planned: PlannedProgram[] = [];
  let offsetMs = 0;
  for (const chunk of session.chunks) {
    const keys = programKeyCount(chunk);
    if (chunk.blocks.length > limits.maxBlocks || keys > limits.maxKeys) {
      throw new MassagerError(
        ErrorCode.ProgramTooLarge,
        `the session "${session.sourceId}" has a program of ${chunk.blocks.length} blocks and ${keys} keyframes; ` +
          `this device stores ${limits.maxBlocks} blocks and ${limits.maxKeys} keyframes`,
        { hint: "compile the session for this device: compileSession(..., { device: deviceLimitsOf(info) })" },
      );
    }
    planned.push({ program: chunk, offsetMs });
    offsetMs += programDurationMs(chunk);
  }
  return planned;
}

/** For a device that streams: the chunks back to back as one program, streamed from the host. */
export function planStream(session: CompiledSession): PlannedProgram[] {
  return [{ program: playedProgram(session), offsetMs: 0 }];
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
