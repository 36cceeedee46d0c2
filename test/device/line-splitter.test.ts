import { ReadlineParser } from "@serialport/parser-readline";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../device/transport/line-splitter.ts";

/** What the serial transport used to emit: ReadlineParser's lines, one trailing CR dropped. */
async function viaReadlineParser(chunks: readonly Buffer[]): Promise<string[]> {
  const parser = new ReadlineParser({ delimiter: "\n", encoding: "latin1" });
  const lines: string[] = [];
  parser.on("data", (line: string) => lines.push(line.endsWith("\r") ? line.slice(0, -1) : line));
  for (const chunk of chunks) parser.write(chunk);
  await new Promise((resolve) => setImmediate(resolve));
  return lines;
}

function viaSplitter(chunks: readonly Buffer[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) splitter.push(chunk, (line) => lines.push(line));
  return lines;
}

describe("the line splitter", () => {
  it("cuts frames split anywhere, drops one CR before LF, keeps bytes as latin1, emits no empty line", () => {
    const chunks = ["OK 1*", "4F\r\nST IDLE BOOT 0 0*00\n\n# log\r", "\n\r\n", "\xff\xfeX\n", "partial"];
    expect(viaSplitter(chunks.map((c) => Buffer.from(c, "latin1")))).toEqual([
      "OK 1*4F",
      "ST IDLE BOOT 0 0*00",
      "# log",
      "",
      "\xff\xfeX",
    ]);
  });

  it("reuses nothing of a buffer the caller overwrites after push()", () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    const buffer = Buffer.from("PING 1", "latin1");
    splitter.push(buffer, (line) => lines.push(line));
    buffer.fill(0x3f);
    splitter.push(Buffer.from("*AD\n", "latin1"), (line) => lines.push(line));
    expect(lines).toEqual(["PING 1*AD"]);
  });

  it("frames every byte stream, however it is chunked, as ReadlineParser does", async () => {
    const byte = fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x20, 0x2a),
      fc.integer({ min: 0x21, max: 0x7e }),
      fc.integer({ min: 0, max: 255 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(byte, { maxLength: 40 }), { maxLength: 12 }), async (pieces) => {
        const chunks = pieces.map((piece) => Buffer.from(piece));
        expect(viaSplitter(chunks)).toEqual(await viaReadlineParser(chunks));
      }),
      { numRuns: 300 },
    );
  });
});
