/** Runs the shared vectors in test/vectors/ (the firmware runs the same files natively). */
import { describe, expect, it } from "vitest";
import { COMMANDS, decode, EASINGS, encode, ProgramPlayer, sampleProgram } from "../../protocol/index.ts";
import { pwmSteps } from "../../protocol/pwm.ts";
import {
  frameVectors as frames,
  invalidVectors as invalid,
  wireKey as key,
  playbackVectors as playback,
  playbackProgram as program,
  pwmVectors,
} from "../support/vectors.ts";

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

describe("pwm.json", () => {
  it.each(pwmVectors.map((v) => [`${v.level} of ${v.steps} steps`, v] as const))("%s", (_name, vector) => {
    expect(pwmSteps(vector.level, vector.steps)).toBe(vector.on);
  });

  it("rounds halves up, keeps 0 off and ±1000 fully on", () => {
    expect(pwmVectors.some((v) => (Math.abs(v.level) * v.steps) % 1000 === 500)).toBe(true);
    for (const v of pwmVectors) {
      if (v.level === 0) expect(v.on).toBe(0);
      if (Math.abs(v.level) === 1000) expect(v.on).toBe(v.steps);
    }
  });
});
