/**
 * CRC-8 (polynomial 0x07, initial value 0, no reflection, no final XOR: "CRC-8/SMBUS"),
 * over the ASCII bytes of a frame before its `*`. Eight shifts a byte is cheap on an AVR
 * and, unlike an XOR sum, catches swapped and doubled characters.
 */
export function crc8(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
  }
  return crc;
}

/** The two upper-case hex digits written after `*`. */
export function checksumHex(body: string): string {
  return crc8(body).toString(16).toUpperCase().padStart(2, "0");
}
