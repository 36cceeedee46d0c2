/**
 * Properties of the codec, with messages generated from the COMMANDS table itself, so a new
 * command or field is covered without touching this file.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMMANDS, type CommandName, decode, EASINGS, encode, MAX_SEQ, type Message } from "../../protocol/index.ts";

type Field = (typeof COMMANDS)[CommandName]["fields"][number];

const keyframe = (minValue: number) =>
  fc.record({
    dtMs: fc.integer({ min: 1, max: 65_535 }),
    value: fc.integer({ min: minValue, max: 1000 }),
    ease: fc.constantFrom(...EASINGS),
  });

function fieldArbitrary(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case "uint":
    case "int":
      return fc.integer({ min: field.min, max: field.max });
    case "enum":
      return fc.constantFrom(...field.values);
    case "version":
      return fc.tuple(fc.nat(999), fc.nat(999), fc.nat(999)).map((parts) => parts.join("."));
    case "keys":
      return fc.array(keyframe(-1000), { minLength: 1, maxLength: 4 });
  }
}

/** Any valid message of one command. */
function messageOf(name: CommandName): fc.Arbitrary<Message> {
  const def = COMMANDS[name];
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  if (def.seq) shape.seq = fc.integer({ min: 0, max: MAX_SEQ });
  for (const field of def.fields as readonly Field[]) shape[field.name] = fieldArbitrary(field);
  return fc.record(shape).map((fields) => {
    // The only rule outside the table (PROTOCOL.md): a V track's levels are 0..1000.
    const message = { type: name, ...fields } as Record<string, unknown>;
    if (message.track === "V" && Array.isArray(message.keys)) {
      message.keys = (message.keys as { value: number }[]).map((k) => ({ ...k, value: Math.abs(k.value) }));
    }
    return message as unknown as Message;
  });
}

const anyMessage = fc.oneof(...(Object.keys(COMMANDS) as CommandName[]).map(messageOf));

describe("codec properties", () => {
  it("round-trips every valid message of every command", () => {
    fc.assert(
      fc.property(anyMessage, (message) => {
        const line = encode(message);
        expect(line.length).toBeLessThanOrEqual(95);
        expect(decode(line)).toEqual({ kind: "message", message });
        // What a device sends may end in CR LF; the CR is ignored.
        expect(decode(`${line}\r`)).toEqual({ kind: "message", message });
      }),
      { numRuns: 2000 },
    );
  });

  const expectWellFormed = (line: string) => {
    const result = decode(line);
    expect(["message", "error", "discarded"]).toContain(result.kind);
    if (result.kind === "error") expect(result.code).toBeGreaterThanOrEqual(100);
  };

  it("never throws on any string: ASCII, unicode, very long", () => {
    const strings = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: "grapheme", maxLength: 120 }),
      fc.string({ unit: "binary", maxLength: 120 }),
      fc.string({ minLength: 1000, maxLength: 20_000 }),
      fc.string({ unit: fc.constantFrom(..."0123456789 ,-+*#\rABCDEFKLMOPRSTVXY"), maxLength: 100 }),
    );
    fc.assert(
      fc.property(strings, (line) => expectWellFormed(line)),
      { numRuns: 3000 },
    );
  });

  it("never throws on valid frames with characters changed, added or removed", () => {
    const mutated = fc
      .tuple(anyMessage, fc.nat(), fc.string({ unit: "binary", maxLength: 3 }), fc.nat(3))
      .map(([message, at, insert, remove]) => {
        const line = encode(message);
        const position = at % (line.length + 1);
        return line.slice(0, position) + insert + line.slice(position + remove);
      });
    fc.assert(
      fc.property(mutated, (line) => expectWellFormed(line)),
      { numRuns: 3000 },
    );
  });

  it("never accepts a frame with one character of its body changed (CRC-8 catches every single-byte error)", () => {
    const changed = fc.tuple(anyMessage, fc.nat(), fc.integer({ min: 0x21, max: 0x7e })).map(([message, at, code]) => {
      const line = encode(message);
      const position = at % (line.length - 3); // a body character, before the '*'
      return { line, changed: line.slice(0, position) + String.fromCharCode(code) + line.slice(position + 1) };
    });
    fc.assert(
      fc.property(changed, ({ line, changed: other }) => {
        fc.pre(other !== line);
        expect(decode(other).kind).not.toBe("message");
      }),
      { numRuns: 2000 },
    );
  });
});
