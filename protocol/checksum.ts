/**
 * CRC-8 (polynomial 0x07, initial value 0, no reflection, no final XOR: "CRC-8/SMBUS"),
 * over the bytes of a frame before its `*` (its UTF-8 bytes, should a line carry any
 * non-ASCII). Eight shifts a byte is cheap on an AVR and, unlike an XOR sum, catches swapped
 * and doubled characters.
 */
export function crc8(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A device sums the bytes it received: past ASCII, that is the text's UTF-8 bytes.
    if (code > 0x7f) return crc8Bytes(new TextEncoder().encode(text));
    crc = crcStep(crc, code);
  }
  return crc;
}

function crc8Bytes(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = crcStep(crc, byte);
  return crc;
}

function crcStep(crc: number, byte: number): number {
  let next = crc ^ byte;
  for (let bit = 0; bit < 8; bit++) {
    next = next & 0x80 ? ((next << 1) ^ 0x07) & 0xff : (next << 1) & 0xff;
  }
  return next;
}

/** The length of `text` in bytes on the wire (UTF-8); equal to its length for ASCII. */
export function byteLength(text: string): number {
  // Fast path: every valid frame is ASCII.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return new TextEncoder().encode(text).length;
  }
  return text.length;
}

/** The two upper-case hex digits written after `*`. */
export function checksumHex(body: string): string {
  return crc8(body).toString(16).toUpperCase().padStart(2, "0");
}
