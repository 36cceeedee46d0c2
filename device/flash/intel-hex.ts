/**
 * Intel HEX to a flash image. Record types 00 (data), 01 (end), 02 and 04 (segment and linear
 * base addresses) and 03/05 (start addresses, ignored: an AVR starts at its reset vector).
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

export interface FlashImage {
  /** The bytes from address 0 to the highest address used; gaps hold 0xFF, as erased flash. */
  bytes: Uint8Array;
  /** The lowest address that holds data. */
  start: number;
}

function invalid(source: string, line: number, detail: string): MassagerError {
  return new MassagerError(ErrorCode.FirmwareMissing, `${source}:${line}: not a valid Intel HEX file (${detail})`, {
    hint: "give the .hex file the Arduino build wrote (Sketch > Export compiled binary)",
  });
}

/** Parses Intel HEX text; `source` names the file in errors. */
export function parseIntelHex(text: string, source = "firmware"): FlashImage {
  const chunks: Array<{ address: number; data: Uint8Array }> = [];
  let base = 0;
  let ended = false;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length && !ended; index++) {
    const line = lines[index]?.trim() ?? "";
    const lineNo = index + 1;
    if (line === "") continue;
    if (!/^:([0-9A-Fa-f]{2})+$/.test(line)) throw invalid(source, lineNo, "a record must be ':' and hex digit pairs");
    const record = Uint8Array.from(line.slice(1).match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
    const length = record[0] ?? 0;
    if (record.length !== length + 5) throw invalid(source, lineNo, "the record length does not match");
    if (record.reduce((sum, byte) => (sum + byte) & 0xff, 0) !== 0) throw invalid(source, lineNo, "bad checksum");
    const offset = ((record[1] ?? 0) << 8) | (record[2] ?? 0);
    const type = record[3];
    const payload = record.subarray(4, 4 + length);
    if (type === 0) chunks.push({ address: base + offset, data: payload });
    else if (type === 1) ended = true;
    else if (type === 2) base = (((payload[0] ?? 0) << 8) | (payload[1] ?? 0)) << 4;
    else if (type === 4) base = (((payload[0] ?? 0) << 8) | (payload[1] ?? 0)) * 0x10000;
    else if (type !== 3 && type !== 5) throw invalid(source, lineNo, `unknown record type ${type}`);
  }
  if (!ended) throw invalid(source, lines.length, "no end-of-file record");
  if (chunks.length === 0) throw invalid(source, 1, "no data");
  const end = Math.max(...chunks.map((c) => c.address + c.data.length));
  const bytes = new Uint8Array(end).fill(0xff);
  for (const chunk of chunks) bytes.set(chunk.data, chunk.address);
  return { bytes, start: Math.min(...chunks.map((c) => c.address)) };
}
