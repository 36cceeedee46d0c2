/**
 * The URL as a QR code in the terminal, for a phone's camera: Unicode half blocks, two rows of
 * modules per line, inside a quiet zone (drawn by `uqr`; README, "Why these libraries"). The
 * blocks take the terminal's text colour, so on a dark terminal the code comes out inverted;
 * the camera apps of current phones read both.
 */
import { renderUnicodeCompact } from "uqr";

export function qrCode(url: string): string {
  return renderUnicodeCompact(url, { ecc: "L", border: 2 });
}
