/**
 * The stop byte on a byte-stream transport (serial, TCP): the transport emits `stopByte` as soon
 * as a chunk holds one, and the line the parser later cuts around it loses the byte and the
 * partial line it interrupted (PROTOCOL.md, "The stop byte").
 */
import { splitAtStopByte } from "../../protocol/framing.ts";
import { STOP_BYTE, STOP_BYTE_CHAR } from "../../protocol/limits.ts";

/** The one byte written by sendStopByte(). */
export const STOP_BYTE_BUFFER: Buffer = Buffer.from([STOP_BYTE]);

/** A received line (latin1) without a trailing `\r`, and without anything up to its last stop byte. */
export function lineAfterStopByte(line: string): string {
  const rest = line.includes(STOP_BYTE_CHAR) ? splitAtStopByte(line).rest : line;
  return rest.endsWith("\r") ? rest.slice(0, -1) : rest;
}
