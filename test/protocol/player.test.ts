/**
 * The program player samples a device position every tick, so it keeps a cursor per track
 * instead of searching each keyframe cycle from scratch. These properties hold it to the
 * rule as written (PROTOCOL.md, "Playback"; trackLevel and blockLevels): the same level at
 * every position, whether positions move forward tick by tick, jump, or step back within a block.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EASINGS, type WireKey } from "../../protocol/fields.ts";
import { blockLevels, ProgramPlayer, trackLevel } from "../../protocol/player.ts";
import { type Levels, programDurationMs, type WireProgram, ZERO_LEVELS } from "../../protocol/program.ts";

const key = (min: number): fc.Arbitrary<WireKey> =>
  fc.record({
    dtMs: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 700 })),
    value: fc.integer({ min, max: 1000 }),
    ease: fc.constantFrom(...EASINGS),
  });

const program: fc.Arbitrary<WireProgram> = fc.record({
  blocks: fc.array(
    fc.record({
      durationMs: fc.integer({ min: 1, max: 3000 }),
      step: fc.integer({ min: 0, max: 255 }),
      vib: fc.array(key(0), { maxLength: 5 }),
      rot: fc.array(key(-1000), { maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

/** The level at `posMs` straight from the rule: every earlier block's end level, then the track's level. */
function byTheRule(p: WireProgram, posMs: number): Levels & { block: number } {
  let entry: Levels = ZERO_LEVELS;
  let start = 0;
  for (let block = 0; block < p.blocks.length; block++) {
    const current = p.blocks[block];
    if (current === undefined) break;
    if (posMs < start + current.durationMs) {
      const u = posMs - start;
      return { vib: trackLevel(current.vib, entry.vib, u), rot: trackLevel(current.rot, entry.rot, u), block };
    }
    entry = blockLevels(current, entry, current.durationMs, true);
    start += current.durationMs;
  }
  return { ...entry, block: p.blocks.length };
}

describe("the program player", () => {
  it("matches the rule at every millisecond, played forward as a device does", () => {
    fc.assert(
      fc.property(program, fc.integer({ min: 1, max: 7 }), (p, tickMs) => {
        const player = new ProgramPlayer(p);
        const end = programDurationMs(p);
        let mismatch: object | undefined;
        for (let pos = 0; pos <= end + tickMs && mismatch === undefined; pos += tickMs) {
          const sample = player.sample(pos);
          const expected = byTheRule(p, pos);
          const same =
            sample.vib === expected.vib &&
            sample.rot === expected.rot &&
            sample.block === expected.block &&
            sample.done === pos >= end;
          if (!same) mismatch = { pos, sample, expected };
        }
        expect(mismatch).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("matches the rule when positions jump ahead or step back within a block", () => {
    fc.assert(
      fc.property(
        program,
        fc.array(fc.integer({ min: -400, max: 2500 }), { minLength: 1, maxLength: 60 }),
        (p, moves) => {
          const player = new ProgramPlayer(p);
          let pos = 0;
          let blockStart = 0;
          let block = 0;
          for (const move of moves) {
            // Never back past the start of the block playing: the device never seeks back.
            pos = Math.max(blockStart, pos + move);
            const sample = player.sample(pos);
            const expected = byTheRule(p, pos);
            expect({ vib: sample.vib, rot: sample.rot, block: sample.block }).toEqual(expected);
            while (block < sample.block) {
              blockStart += p.blocks[block]?.durationMs ?? 0;
              block++;
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
