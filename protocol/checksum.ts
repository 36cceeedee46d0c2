/**
 * CRC-8 (polynomial 0x07, initial value 0, no reflection, no final XOR: "CRC-8/SMBUS") over the
 * bytes of a frame before its `*`. A frame is bytes; in this code base a line travels as a string
 * holding one char per byte (latin1, as every transport decodes it), so the CRC runs over the
 * char codes. Eight shifts a byte is cheap on an AVR and, unlike an XOR sum, catches swapped and
 * doubled characters.
 */
import { ErrorCode, MassagerError } from "./errors.ts";

/** Highest char code a byte string holds (latin1: one char per byte). */
const MAX_BYTE_CHAR = 0xff;

/** The CRC-8 of each byte value (the eight shifts below, done once): a frame costs one lookup per byte. */
export const CRC_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
    table[byte] = crc;
  }
  return table;
})();

/** Every CRC as its two upper-case hex digits. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, crc) => crc.toString(16).toUpperCase().padStart(2, "0"));

/** The CRC-8 of `text`'s bytes. Throws BadArguments on a char above 0xFF, which no byte stream carries. */
export function crc8(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > MAX_BYTE_CHAR) {
      throw new MassagerError(ErrorCode.BadArguments, `char U+${code.toString(16).toUpperCase()} is not a byte`);
    }
    crc = CRC_TABLE[crc ^ code] as number;
  }
  return crc;
}

/** The two upper-case hex digits written after `*`. */
export function checksumHex(body: string): string {
  return HEX[crc8(body)] as string;
}
