/** Runs the shared vectors in test/vectors/ (the firmware runs the same files natively). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  COMMANDS,
  decode,
  EASINGS,
  encode,
  type Message,
  ProgramPlayer,
  sampleProgram,
  type WireKey,
  type WireProgram,
} from "../../protocol/index.ts";

interface FrameVector {
  from: "host" | "device";
  line: string;
  canonical: boolean;
  message: Message;
}
interface InvalidVector {
  from: "host" | "device";
  line: string;
  code: number | null;
  seq: number | null;
  why: string;
}
interface PlaybackVector {
  name: string;
  blocks: { durationMs: number; step: number; vib: string[]; rot: string[] }[];
  samples: { posMs: number; vib: number; rot: number; step: number; done: boolean }[];
}

const load = <T>(name: string): T[] =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8")) as T[];
const frames = load<FrameVector>("frames.json");
const invalid = load<InvalidVector>("invalid.json");
const playback = load<PlaybackVector>("playback.json");

function key(token: string): WireKey {
  const [dtMs = 0, value = 0, ease = 0] = token.split(",").map(Number);
  return { dtMs, value, ease: EASINGS[ease] ?? "step" };
}

function program(vector: PlaybackVector): WireProgram {
  return {
    blocks: vector.blocks.map((block) => ({
      durationMs: block.durationMs,
      step: block.step,
      vib: block.vib.map(key),
      rot: block.rot.map(key),
    })),
  };
}

describe("frames.json", () => {
  it.each(frames.map((v) => [v.line, v] as const))("decodes %j", (_line, vector) => {
    expect(decode(vector.line)).toEqual({ kind: "message", message: vector.message });
    if (vector.canonical) expect(encode(vector.message)).toBe(vector.line);
    expect(COMMANDS[vector.message.type].from).toBe(vector.from);
  });

  it("holds at least one frame of every command", () => {
    const covered = new Set(frames.map((vector) => vector.message.type));
    expect([...covered].sort()).toEqual(Object.keys(COMMANDS).sort());
  });
});

describe("invalid.json", () => {
  it.each(invalid.map((v) => [v.why, v] as const))("%s", (_why, vector) => {
    const result = decode(vector.line);
    if (vector.code === null) {
      expect(result.kind).toBe("discarded");
      return;
    }
    expect(result).toMatchObject({ kind: "error", code: vector.code });
    if (result.kind === "error") expect(result.seq ?? 0).toBe(vector.seq);
  });

  it("holds only byte strings: each char of a line is one byte (test/vectors/README.md)", () => {
    const lines = [...frames, ...invalid].map((vector) => vector.line);
    expect(lines.filter((line) => [...line].some((char) => (char.codePointAt(0) ?? 0) > 0xff))).toEqual([]);
    expect(lines.some((line) => /[\u0080-\u00ff]/.test(line))).toBe(true);
  });

  it("covers every wire format code and discarded lines", () => {
    const codes = new Set(invalid.map((vector) => vector.code));
    for (const code of [100, 101, 102, 103, 104, 105, null]) expect(codes.has(code), String(code)).toBe(true);
  });
});

describe("playback.json", () => {
  it.each(playback.map((v) => [v.name, v] as const))("%s", (_name, vector) => {
    const wire = program(vector);
    const player = new ProgramPlayer(wire);
    for (const sample of vector.samples) {
      const expected = { vib: sample.vib, rot: sample.rot, step: sample.step, done: sample.done };
      expect(player.sample(sample.posMs), `at ${sample.posMs} ms`).toMatchObject(expected);
      // Sampling from a fresh start gives the same level as playing forward to it.
      expect(sampleProgram(wire, sample.posMs), `fresh at ${sample.posMs} ms`).toMatchObject(expected);
    }
  });

  it("covers every easing", () => {
    const eases = new Set(
      playback.flatMap((v) => v.blocks.flatMap((b) => [...b.vib, ...b.rot].map((t) => key(t).ease))),
    );
    expect([...eases].sort()).toEqual([...EASINGS].sort());
  });
});
