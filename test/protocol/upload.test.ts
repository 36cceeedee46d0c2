import { describe, expect, it } from "vitest";
import { decode, encode, nextSeq, uploadFrames, type WireProgram, wireSize, withSeq } from "../../protocol/index.ts";

const program: WireProgram = {
  blocks: [
    {
      durationMs: 2000,
      step: 0,
      vib: [{ dtMs: 2000, value: 600, ease: "linear" }],
      rot: [],
    },
    {
      durationMs: 4000,
      step: 1,
      vib: [1, 2, 3, 4, 5].map((i) => ({ dtMs: 100 * i, value: 100 * i, ease: "sine" as const })),
      rot: [{ dtMs: 4000, value: -300, ease: "easeInOut" }],
    },
  ],
};

describe("uploadFrames", () => {
  it("lists LOAD, each block with its V then R keys in frames of at most four, then COMMIT", () => {
    const frames = uploadFrames(program);
    expect(
      frames.map((frame) => (frame.type === "KEY" ? `KEY ${frame.track} ${frame.keys.length}` : frame.type)),
    ).toEqual(["LOAD", "BLK", "KEY V 1", "BLK", "KEY V 4", "KEY V 1", "KEY R 1", "COMMIT"]);
    expect(frames[0]).toEqual({ type: "LOAD", blocks: 2, totalMs: 6000 });
    expect(frames[3]).toEqual({ type: "BLK", durationMs: 4000, step: 1 });
  });

  it("gives frames that encode and decode back once numbered", () => {
    uploadFrames(program).forEach((frame, i) => {
      const message = withSeq(frame, i + 1);
      expect(decode(encode(message))).toEqual({ kind: "message", message });
    });
  });
});

describe("wireSize", () => {
  it("counts every encoded frame with its sequence number, checksum and newline", () => {
    const expected = uploadFrames(program).reduce((sum, frame, i) => sum + encode(withSeq(frame, i + 1)).length + 1, 0);
    expect(wireSize(program)).toBe(expected);
    // Longer sequence numbers cost bytes: 8 frames numbered 10000.. take 4 more digits each than 1..8.
    expect(wireSize(program, 10_000)).toBe(expected + 8 * 4);
  });

  it("wraps sequence numbers to 1 after 65535", () => {
    expect(nextSeq(65_535)).toBe(1);
    expect(nextSeq(7)).toBe(8);
  });
});
