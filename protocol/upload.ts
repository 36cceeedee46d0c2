/**
 * A program as the requests that upload it (PROTOCOL.md, "Uploading a program"):
 *
 *   LOAD blocks totalMs
 *   BLK durationMs step      \
 *   KEY V k k k k  (repeat)   > per block; a track with no keyframes sends no KEY
 *   KEY R k k k k  (repeat)  /
 *   COMMIT
 *
 * The frames come without sequence numbers: the controller numbers them as it sends them.
 */
import { encode } from "./codec.ts";
import type { HostMessage, MessageOf } from "./commands.ts";
import type { WireKey } from "./fields.ts";
import { MAX_KEYS_PER_FRAME, MAX_SEQ } from "./limits.ts";
import { programDurationMs, type WireProgram } from "./program.ts";

type WithoutSeq<T> = T extends unknown ? Omit<T, "seq"> : never;

/** One upload request before the controller gives it a sequence number. */
export type UploadFrame = WithoutSeq<MessageOf<"LOAD"> | MessageOf<"BLK"> | MessageOf<"KEY"> | MessageOf<"COMMIT">>;

/** The requests that upload `program`, in order, without sequence numbers. */
export function uploadFrames(program: WireProgram): UploadFrame[] {
  const frames: UploadFrame[] = [{ type: "LOAD", blocks: program.blocks.length, totalMs: programDurationMs(program) }];
  for (const block of program.blocks) {
    frames.push({ type: "BLK", durationMs: block.durationMs, step: block.step });
    for (const keys of inGroups(block.vib)) frames.push({ type: "KEY", track: "V", keys });
    for (const keys of inGroups(block.rot)) frames.push({ type: "KEY", track: "R", keys });
  }
  frames.push({ type: "COMMIT" });
  return frames;
}

/** Gives an upload frame its sequence number, making it a request the encoder accepts. */
export function withSeq(frame: UploadFrame, seq: number): HostMessage {
  return { ...frame, seq } as HostMessage;
}

/** The sequence number after `seq`: requests run 1..65535 and wrap to 1 (0 is kept for unreadable frames). */
export function nextSeq(seq: number): number {
  return seq >= MAX_SEQ ? 1 : seq + 1;
}

/**
 * The bytes the upload of `program` puts on the wire: every frame encoded with its real
 * sequence number (from `firstSeq`, wrapping like nextSeq) and checksum, plus its `\n`.
 * Throws a MassagerError when a frame cannot be encoded (a value outside the protocol's ranges).
 */
export function wireSize(program: WireProgram, firstSeq = 1): number {
  let bytes = 0;
  let seq = firstSeq;
  for (const frame of uploadFrames(program)) {
    bytes += encode(withSeq(frame, seq)).length + 1;
    seq = nextSeq(seq);
  }
  return bytes;
}

function inGroups(keys: readonly WireKey[]): WireKey[][] {
  const groups: WireKey[][] = [];
  for (let i = 0; i < keys.length; i += MAX_KEYS_PER_FRAME) groups.push(keys.slice(i, i + MAX_KEYS_PER_FRAME));
  return groups;
}
