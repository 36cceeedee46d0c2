/**
 * The reference program player: the level a program asks for at a position.
 * The simulator plays with it and the firmware implements the same rules in C++;
 * the shared vectors in test/vectors/playback.json hold both to it.
 *
 * Rules (PROTOCOL.md, "Playback"):
 * - A block's track starts from its entry level: 0 for the first block of a fresh start,
 *   otherwise the level the previous block ended on.
 * - Inside a cycle, keyframe j moves from the previous keyframe's value (the entry level for
 *   the very first keyframe, the cycle's last value when a cycle repeats) to its own value.
 * - Progress p = floor(elapsed * 1024 / dt), then the easing curve, then truncation toward zero.
 * - A block's end level is its value just before its end (every keyframe that completes reaches its value).
 */
import { interpolate, Q } from "./easing.ts";
import type { WireKey } from "./fields.ts";
import { type Levels, type ProgramBlock, type WireProgram, ZERO_LEVELS } from "./program.ts";

function cycleLength(keys: readonly WireKey[]): number {
  let total = 0;
  for (const key of keys) total += key.dtMs;
  return total;
}

/**
 * The level of one track at `u` ms into its block. With `atEnd`, `u` is the block's end and the
 * value is the limit from the left (the keyframe that ends there has reached its value).
 */
export function trackLevel(keys: readonly WireKey[], entry: number, u: number, atEnd = false): number {
  if (keys.length === 0) return entry;
  if (atEnd && u <= 0) return entry;
  const cycle = cycleLength(keys);
  const shifted = atEnd ? u - 1 : u;
  const round = Math.floor(shifted / cycle);
  const inCycle = shifted - round * cycle + (atEnd ? 1 : 0);
  const last = keys[keys.length - 1] as WireKey;
  let start = 0;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j] as WireKey;
    const end = start + key.dtMs;
    if (atEnd ? inCycle <= end : inCycle < end) {
      const previous = j === 0 ? (round === 0 ? entry : last.value) : (keys[j - 1] as WireKey).value;
      const progress = Math.trunc(((inCycle - start) * Q) / key.dtMs);
      return interpolate(previous, key.value, key.ease, progress);
    }
    start = end;
  }
  return last.value;
}

export function blockLevels(block: ProgramBlock, entry: Levels, u: number, atEnd = false): Levels {
  return { vib: trackLevel(block.vib, entry.vib, u, atEnd), rot: trackLevel(block.rot, entry.rot, u, atEnd) };
}

export interface ProgramSample extends Levels {
  /** Index of the block playing; blocks.length once the program has ended. */
  block: number;
  /** The step of that block (the last block's step after the end). */
  step: number;
  done: boolean;
}

/**
 * trackLevel() for positions that never go backwards within one block: it remembers the
 * keyframe it found, its round and where both start, so each call only steps past the keyframes
 * that ended since the last one instead of dividing, summing and searching the cycle again (a
 * device samples every tick, two tracks: the costliest function of a session in virtual time).
 */
class TrackCursor {
  private readonly cycle: number;
  /** The cycle round the cursor is in (-1: none yet), and the position at which it began. */
  private round = -1;
  private roundStart = 0;
  /** keys[index] runs from `start` to `end` in the cycle, from the level `from`. */
  private index = 0;
  private start = 0;
  private end = 0;
  private from = 0;

  constructor(
    private readonly keys: readonly WireKey[],
    private readonly entry: number,
  ) {
    this.cycle = cycleLength(keys);
  }

  level(u: number): number {
    const keys = this.keys;
    if (keys.length === 0) return this.entry;
    let inCycle = u - this.roundStart;
    // Another round (or, never in playback, a step back): find the round and start it from its first keyframe.
    if (this.round < 0 || inCycle >= this.cycle || inCycle < this.start) {
      const round = Math.floor(u / this.cycle);
      this.round = round;
      this.roundStart = round * this.cycle;
      inCycle = u - this.roundStart;
      this.index = 0;
      this.start = 0;
      this.end = (keys[0] as WireKey).dtMs;
      this.from = round === 0 ? this.entry : (keys[keys.length - 1] as WireKey).value;
    }
    while (inCycle >= this.end && this.index < keys.length - 1) {
      this.from = (keys[this.index] as WireKey).value;
      this.index++;
      this.start = this.end;
      this.end += (keys[this.index] as WireKey).dtMs;
    }
    const key = keys[this.index] as WireKey;
    if (inCycle >= this.end) return key.value; // unreachable: inCycle < cycle
    return interpolate(this.from, key.value, key.ease, Math.trunc(((inCycle - this.start) * Q) / key.dtMs));
  }
}

/**
 * Plays a program forward. Positions must not go backwards (the device never seeks back);
 * each call costs O(blocks and keyframes crossed), so a whole session is linear in its length.
 */
export class ProgramPlayer {
  private index = 0;
  private blockStart = 0;
  private entry: Levels;
  private cursors: { vib: TrackCursor; rot: TrackCursor } | undefined;

  constructor(
    private readonly program: WireProgram,
    entry: Levels = ZERO_LEVELS,
  ) {
    this.entry = { vib: entry.vib, rot: entry.rot };
  }

  /**
   * The sample at `posMs`, written to `out` when given (a control loop reuses one object: this
   * runs every tick) or to a new object.
   */
  sample(posMs: number, out?: ProgramSample): ProgramSample {
    const blocks = this.program.blocks;
    let current = blocks[this.index];
    while (current !== undefined && posMs >= this.blockStart + current.durationMs) {
      this.entry = blockLevels(current, this.entry, current.durationMs, true);
      this.blockStart += current.durationMs;
      this.index++;
      this.cursors = undefined;
      current = blocks[this.index];
    }
    if (current === undefined) {
      const lastStep = blocks[blocks.length - 1]?.step ?? 0;
      // Fields written out: an object spread here dominated the cost of a fast simulated session.
      return written(out, this.entry.vib, this.entry.rot, blocks.length, lastStep, true);
    }
    const u = posMs - this.blockStart;
    this.cursors ??= {
      vib: new TrackCursor(current.vib, this.entry.vib),
      rot: new TrackCursor(current.rot, this.entry.rot),
    };
    return written(out, this.cursors.vib.level(u), this.cursors.rot.level(u), this.index, current.step, false);
  }
}

function written(
  out: ProgramSample | undefined,
  vib: number,
  rot: number,
  block: number,
  step: number,
  done: boolean,
): ProgramSample {
  if (out === undefined) return { vib, rot, block, step, done };
  out.vib = vib;
  out.rot = rot;
  out.block = block;
  out.step = step;
  out.done = done;
  return out;
}

/** The level at one position, from the start (for tests and one-off look-ups). */
export function sampleProgram(program: WireProgram, posMs: number, entry: Levels = ZERO_LEVELS): ProgramSample {
  return new ProgramPlayer(program, entry).sample(posMs);
}
