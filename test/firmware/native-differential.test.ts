/**
 * The firmware's decoder and the TypeScript codec, held to each other on generated input:
 * every valid request encoded by the codec, and thousands of damaged lines (with and without a
 * repaired checksum, ASCII and beyond), must decode to the same message, error and seq, or be
 * discarded by both. Lines are byte strings (one char per byte), fed to the firmware as those
 * bytes; text past ASCII is generated as the UTF-8 bytes a terminal would send, or as raw bytes.
 * Generation is seeded, so a failure reproduces.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  COMMANDS,
  type CommandName,
  checksumHex,
  type DecodeResult,
  decode,
  EASINGS,
  encode,
  type Message,
} from "../../protocol/index.ts";
import { canonicalMessage } from "./support/canonical.ts";
import { DeviceScript, nativeDriver, runNative } from "./support/native-driver.ts";

const SEED = 20_240_611;
const HOST_COMMANDS = (Object.keys(COMMANDS) as CommandName[]).filter((name) => COMMANDS[name].from === "host");

/** A random valid request, built from its row in the command table. */
const request: fc.Arbitrary<Message> = fc.constantFrom(...HOST_COMMANDS).chain((name) => {
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    type: fc.constant(name),
    seq: fc.integer({ min: 0, max: 65_535 }),
  };
  for (const field of COMMANDS[name].fields) {
    if (field.kind === "uint" || field.kind === "int")
      fields[field.name] = fc.integer({ min: field.min, max: field.max });
    else if (field.kind === "enum") fields[field.name] = fc.constantFrom(...field.values);
    else if (field.kind === "keys") {
      const key = fc.record({
        dtMs: fc.integer({ min: 1, max: 65_535 }),
        value: fc.integer({ min: 0, max: 1000 }),
        ease: fc.constantFrom(...EASINGS),
      });
      fields[field.name] = fc.array(key, { minLength: 1, maxLength: 4 });
    }
  }
  return fc.record(fields) as fc.Arbitrary<Message>;
});

const noNewline = (text: string): boolean => !text.includes("\n");
/** What a UTF-8 terminal sends for `text`, as the byte string (one char per byte) a transport hands over. */
const utf8Bytes = (text: string): string => Buffer.from(text, "utf8").toString("latin1");
/** Any bytes 0x00..0xFF, one char each. */
const byteUnit = fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code));
const anyText = fc
  .oneof(fc.string({ unit: "binary", maxLength: 6 }).map(utf8Bytes), fc.string({ unit: byteUnit, maxLength: 6 }))
  .filter(noNewline);
const asciiText = fc.string({ unit: "binary-ascii", maxLength: 6 }).filter(noNewline);
const tricky = fc.constantFrom(
  " ",
  "  ",
  "*",
  ",",
  "-",
  "0",
  "00",
  "\r",
  "\t",
  "\u00e9",
  utf8Bytes("é"),
  "\u00a0",
  utf8Bytes("\u00a0"),
  utf8Bytes("\u3000"),
  "\u00ff",
  "#",
  "99999999999",
);

/**
 * A valid frame with one damage: something replaced, inserted or removed in its body (the
 * checksum then repaired or not), or in its checksum.
 */
const damagedLine = fc
  .record({
    message: request,
    at: fc.nat(),
    cut: fc.integer({ min: 0, max: 3 }),
    insert: fc.oneof(asciiText, anyText, tricky),
    repair: fc.boolean(),
    tail: fc.boolean(),
  })
  .map(({ message, at, cut, insert, repair, tail }) => {
    const frame = encode(message);
    if (tail && !repair) return frame.slice(0, frame.length - cut) + insert;
    const body = frame.slice(0, frame.lastIndexOf("*"));
    const position = at % (body.length + 1);
    const damaged = body.slice(0, position) + insert + body.slice(position + cut);
    return repair ? `${damaged}*${checksumHex(damaged)}` : `${damaged}${frame.slice(frame.lastIndexOf("*"))}`;
  });

/** Blank-looking and comment lines, long lines and pure noise. */
const oddLine = fc.oneof(
  fc.string({ unit: "binary", maxLength: 120 }).map(utf8Bytes).filter(noNewline),
  fc.string({ unit: byteUnit, maxLength: 120 }).filter(noNewline),
  fc
    .array(
      fc.constantFrom(
        " ",
        "\t",
        "\r",
        "\v",
        "\f",
        "\u00a0",
        "\u0085",
        utf8Bytes("\u00a0"),
        utf8Bytes("\u2003"),
        utf8Bytes("\u3000"),
        utf8Bytes("\ufeff"),
        "x",
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join("")),
  fc
    .string({ unit: "binary-ascii", minLength: 90, maxLength: 100 })
    .filter(noNewline)
    .map((text) => `${text}*${checksumHex(text)}`),
);

function expectedOf(result: DecodeResult): string {
  if (result.kind === "discarded") return "discarded";
  if (result.kind === "error") return `error ${result.code} ${result.seq ?? 0}`;
  return `message ${canonicalMessage(result.message)}`;
}

async function compare(lines: string[]): Promise<void> {
  const script = new DeviceScript();
  for (const line of lines) script.decode(line);
  const { results } = await runNative(script);
  const got = lines.map((line, i) => `${JSON.stringify(line)} -> ${results[i]}`);
  const expected = lines.map((line) => `${JSON.stringify(line)} -> ${expectedOf(decode(line))}`);
  expect(got).toEqual(expected);
}

// The native build (g++, cached by source hash) under the hook's timeout, not the first test's:
// on a loaded machine a fresh build alone can take longer than a test may.
beforeAll(() => nativeDriver(), 120_000);

describe("the firmware's decoder and the TypeScript codec agree", () => {
  it("on 1500 valid requests from the command table", async () => {
    const lines = fc.sample(request, { seed: SEED, numRuns: 1500 }).map(encode);
    await compare(lines);
  });

  it("on 3000 damaged frames", async () => {
    const lines = fc.sample(damagedLine, { seed: SEED + 1, numRuns: 3000 });
    // The damage must really produce every kind of outcome, or the comparison proves little.
    const kinds = new Set(
      lines.map((line) => {
        const result = decode(line);
        return result.kind === "error" ? `error ${result.code}` : result.kind;
      }),
    );
    for (const kind of ["message", "error 100", "error 102", "error 103", "error 104", "error 105"]) {
      expect(kinds).toContain(kind);
    }
    await compare(lines);
  });

  it("on 1500 odd lines: noise, white space of every kind, lines around the length limit", async () => {
    const lines = fc.sample(oddLine, { seed: SEED + 2, numRuns: 1500 });
    await compare(lines);
  });
});
