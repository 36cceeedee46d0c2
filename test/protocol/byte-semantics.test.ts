/**
 * PROTOCOL.md, "Frames": a frame is bytes. Lines reach the codec as strings with one char per
 * byte (latin1, as the serial, TCP and BLE transports decode them), so the codec must measure
 * and checksum exactly the bytes the firmware sees.
 */
import { describe, expect, it } from "vitest";
import { LineReassembler, lineBytes } from "../../protocol/ble.ts";
import { checksumHex, crc8, decode, ErrorCode, isMassagerError } from "../../protocol/index.ts";

/** Bytes as a transport hands them over: one char per byte. */
const received = (bytes: number[]) => Buffer.from(bytes).toString("latin1");
const ascii = (text: string) => [...Buffer.from(text, "latin1")];

describe("the codec reads a line as bytes, one char per byte", () => {
  it("checksums a byte past ASCII as that one byte (CRC-8/SMBUS of E9 is 91; its UTF-8 bytes C3 A9 give 84)", () => {
    expect(checksumHex("\u00e9")).toBe("91");
    expect(checksumHex("\u00c3\u00a9")).toBe("84");
  });

  it("counts a byte past ASCII once toward the 95-byte limit", () => {
    const body = `PING 1 \u00e9${"x".repeat(84)}`;
    const line = `${body}*${checksumHex(body)}`;
    expect(line.length).toBe(95);
    // Within the limit and with a good checksum: refused for the byte itself, not for its length.
    expect(decode(line)).toMatchObject({ kind: "error", code: ErrorCode.BadArguments, seq: undefined });
  });

  it("agrees with the bytes a serial port delivers: a right checksum over E9 is a token error, not a bad checksum", () => {
    const line = received([...ascii("SET 1 5"), 0xe9, ...ascii("0 0*A8")]);
    expect(decode(line)).toMatchObject({ kind: "error", code: ErrorCode.BadArguments });
    // The same frame checksummed over UTF-8 bytes (the old rule) is now a checksum mismatch.
    const utf8Checksummed = received([...ascii("SET 1 5"), 0xe9, ...ascii("0 0*7D")]);
    expect(decode(utf8Checksummed)).toMatchObject({ kind: "error", code: ErrorCode.BadChecksum });
  });

  it("treats only ASCII white space as blank: a lone A0 byte is a line without a checksum", () => {
    expect(decode(" \t\v\f\r")).toEqual({ kind: "discarded", reason: "blank line" });
    expect(decode("\u00a0")).toMatchObject({ kind: "error", code: ErrorCode.MissingChecksum });
    expect(decode("\ufeff")).toMatchObject({ kind: "error", code: ErrorCode.MissingChecksum });
  });

  it("refuses a char above 0xFF (no transport delivers one) as non-ASCII, without throwing", () => {
    // Its low byte would make the checksum right if the codec truncated chars to bytes.
    const line = `SET 1 5\u20ac0 0*${checksumHex("SET 1 5\u00ac0 0")}`;
    expect(decode(line)).toEqual({
      kind: "error",
      code: ErrorCode.BadArguments,
      reason: "a character above 0xFF, which is not a byte",
      seq: undefined,
    });
    let thrown: unknown;
    try {
      crc8("\u20ac");
    } catch (error) {
      thrown = error;
    }
    expect(isMassagerError(thrown, ErrorCode.BadArguments)).toBe(true);
  });

  it("sends and reassembles BLE lines byte for byte, like the serial and TCP transports", () => {
    expect([...lineBytes("\u00e9")]).toEqual([0xe9, 0x0a]);
    const reassembler = new LineReassembler();
    expect(reassembler.push(lineBytes("SET 1 5\u00e90 0*A8"))).toEqual(["SET 1 5\u00e90 0*A8"]);
  });
});
