/** PROTOCOL.md's examples are real frames: this decodes every one, so the document cannot drift from the code. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS, decode } from "../../protocol/index.ts";

const doc = readFileSync(new URL("../../PROTOCOL.md", import.meta.url), "utf8");

/** Anything shaped like a frame: a name, optional fields, a `*` and two characters. Notation like `[SEQ]` is not a frame. */
const FRAME_SHAPE = /^[A-Z]+( [^\s*[\]]+)*\*\S\S$/;

function codeBlockLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
  return blocks.flatMap((block) => block.split("\n")).map((line) => line.trim());
}

function inlineFrames(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? "").filter((code) => FRAME_SHAPE.test(code));
}

const frames = [...codeBlockLines(doc).filter((line) => FRAME_SHAPE.test(line)), ...inlineFrames(doc)];

describe("PROTOCOL.md", () => {
  it("has example frames", () => {
    expect(frames.length).toBeGreaterThan(40);
  });

  it.each(frames)("%s decodes as a valid frame", (frame) => {
    const result = decode(frame);
    expect(result.kind, JSON.stringify(result)).toBe("message");
  });

  it("shows an example of every command", () => {
    const shown = new Set(frames.map((frame) => frame.split(/[ *]/)[0]));
    for (const name of Object.keys(COMMANDS)) expect(shown.has(name), name).toBe(true);
  });

  it("has no frame-like line in a code block that is not a frame (no *CC placeholders)", () => {
    const lines = codeBlockLines(doc).filter((line) => /^[A-Z]{2,}\b[^[]*\*\S*$/.test(line));
    for (const line of lines) expect(FRAME_SHAPE.test(line) && decode(line).kind === "message", line).toBe(true);
  });
});
