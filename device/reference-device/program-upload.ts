/**
 * A program being uploaded, frame by frame (PROTOCOL.md, "Uploading a program"): LOAD, then
 * for each block BLK, its V keys, its R keys; COMMIT checks the whole. Each method returns
 * the error code to answer with, or undefined when the frame is accepted; a refused frame
 * changes nothing.
 */

import { ErrorCode } from "../../protocol/errors.ts";
import type { WireKey } from "../../protocol/fields.ts";
import type { ProgramBlock, WireProgram } from "../../protocol/program.ts";
import type { DeviceCapabilities } from "./capabilities.ts";

type UploadLimits = Pick<DeviceCapabilities, "maxBlocks" | "maxKeys">;

export type UploadRefusal =
  | typeof ErrorCode.BadState
  | typeof ErrorCode.ProgramTooLarge
  | typeof ErrorCode.ProgramIncomplete
  | typeof ErrorCode.OutOfRange;

export class ProgramUpload {
  private readonly blocks: ProgramBlock[] = [];
  private keyCount = 0;
  /** The track the last KEY frame added to, so V after R in one block is refused. */
  private lastTrack: "V" | "R" | undefined;

  constructor(
    readonly announcedBlocks: number,
    readonly totalMs: number,
    private readonly limits: UploadLimits,
  ) {}

  /** Whether LOAD itself is acceptable. */
  static check(blocks: number, limits: UploadLimits): UploadRefusal | undefined {
    return blocks > limits.maxBlocks ? ErrorCode.ProgramTooLarge : undefined;
  }

  addBlock(durationMs: number, step: number): UploadRefusal | undefined {
    if (this.blocks.length >= this.announcedBlocks || this.blocks.length >= this.limits.maxBlocks) {
      return ErrorCode.ProgramTooLarge;
    }
    this.blocks.push({ durationMs, step, vib: [], rot: [] });
    this.lastTrack = undefined;
    return undefined;
  }

  addKeys(track: "V" | "R", keys: readonly WireKey[]): UploadRefusal | undefined {
    const block = this.blocks[this.blocks.length - 1];
    if (block === undefined) return ErrorCode.BadState;
    if (track === "V" && this.lastTrack === "R") return ErrorCode.BadState;
    if (track === "V" && keys.some((key) => key.value < 0)) return ErrorCode.OutOfRange;
    if (this.keyCount + keys.length > this.limits.maxKeys) return ErrorCode.ProgramTooLarge;
    (track === "V" ? block.vib : block.rot).push(...keys.map((key) => ({ ...key })));
    this.keyCount += keys.length;
    this.lastTrack = track;
    return undefined;
  }

  /** The finished program, or ProgramIncomplete when blocks are missing or the durations do not add up. */
  commit(): WireProgram | typeof ErrorCode.ProgramIncomplete {
    const total = this.blocks.reduce((sum, block) => sum + block.durationMs, 0);
    if (this.blocks.length !== this.announcedBlocks || total !== this.totalMs) return ErrorCode.ProgramIncomplete;
    return { blocks: this.blocks };
  }
}
