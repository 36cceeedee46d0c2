/**
 * Frame encoder and decoder, both driven by COMMANDS.
 *
 *   "SET 7 500 -250*3C"  <-- encode --  { type: "SET", seq: 7, vib: 500, rot: -250 }
 *                         -- decode -->  DecodeResult
 *
 * The decoder never throws: any string yields a message, a typed error (which a device
 * answers with `ER <seq> <code>`), or a discarded line (blank lines and `#` comments).
 *
 * A frame is bytes. Lines reach the codec as strings with one char per byte (latin1, as every
 * transport decodes them): a line's length is its byte count and the CRC runs over its char
 * codes, exactly as the firmware sees them.
 */
import { CRC_TABLE, checksumHex } from "./checksum.ts";
import { COMMANDS, type CommandName, isCommandName, type Message } from "./commands.ts";
import { ErrorCode, MassagerError } from "./errors.ts";
import { EASINGS, type Field, MAX_KEYS, readKey, readScalar, type WireKey, writeKey } from "./fields.ts";
import { FULL_SCALE, MAX_KEY_DURATION_MS, MAX_LINE_LENGTH, MAX_SEQ } from "./limits.ts";

export type WireErrorCode =
  | typeof ErrorCode.BadChecksum
  | typeof ErrorCode.LineTooLong
  | typeof ErrorCode.UnknownCommand
  | typeof ErrorCode.BadArguments
  | typeof ErrorCode.OutOfRange
  | typeof ErrorCode.MissingChecksum;

export type DecodeResult =
  | { kind: "message"; message: Message }
  | { kind: "error"; code: WireErrorCode; reason: string; seq: number | undefined }
  | { kind: "discarded"; reason: string };

/** Writes a message as a frame, checksum included, without the line ending. Throws on a value the table refuses. */
export function encode(message: Message): string {
  const def = COMMANDS[message.type];
  const record = message as unknown as Record<string, unknown>;
  // Built by concatenation, not an array joined: this runs for every frame a device or host sends.
  let body: string = message.type;
  if (def.seq) body += ` ${checkedSeq(record.seq, message.type)}`;
  for (const field of def.fields as readonly Field[]) {
    const value = record[field.name];
    if (field.kind === "keys") {
      const list = value as WireKey[] | undefined;
      if (!Array.isArray(list) || list.length < 1 || list.length > MAX_KEYS) {
        throw new MassagerError(
          ErrorCode.BadArguments,
          `${message.type}: ${field.name} needs 1..${MAX_KEYS} keyframes`,
        );
      }
      const negative = vibrationBelowZero(record, list);
      if (negative) throw new MassagerError(ErrorCode.OutOfRange, `${message.type}: ${negative}`);
      for (const key of list) {
        const token = writeKey(key);
        if (quickKey(key)) {
          body += ` ${token}`;
          continue;
        }
        const read = readKey(token, field.name);
        if (!read.ok) throw new MassagerError(ErrorCode.OutOfRange, `${message.type}: ${read.reason}`);
        body += ` ${token}`;
      }
      continue;
    }
    // An integer in its range is written as it is (what readScalar would accept); anything else is checked.
    if (
      (field.kind === "uint" || field.kind === "int") &&
      typeof value === "number" &&
      Number.isInteger(value) &&
      value >= field.min &&
      value <= field.max
    ) {
      body += ` ${value}`;
      continue;
    }
    const read = readScalar(field, String(value));
    if (!read.ok) throw new MassagerError(ErrorCode.OutOfRange, `${message.type}: ${read.reason}`);
    body += ` ${value}`;
  }
  const frame = `${body}*${checksumHex(body)}`;
  if (frame.length > MAX_LINE_LENGTH) {
    throw new MassagerError(
      ErrorCode.LineTooLong,
      `${message.type}: frame is ${frame.length} bytes, over ${MAX_LINE_LENGTH}`,
    );
  }
  return frame;
}

function checkedSeq(seq: unknown, type: string): number {
  if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) {
    throw new MassagerError(ErrorCode.OutOfRange, `${type}: seq ${String(seq)} is outside 0..${MAX_SEQ}`);
  }
  return seq;
}

/** Only ASCII white space (space and 0x09..0x0D): blank is a rule on bytes, not String.prototype.trim's. */
const BLANK_LINE = /^[\t\n\v\f\r ]*$/;

/**
 * Reads one line (without its line ending; trailing CRs are part of it and ignored), one char per byte.
 * A char above 0xFF is no byte, so no transport delivers one: it is refused like any other
 * non-ASCII character (BadArguments), before the checksum, which is defined on bytes only.
 */
export function decode(input: string): DecodeResult {
  const line = withoutCarriageReturns(input);
  const first = line.charCodeAt(0);
  // A frame starts with its command's capital letter: then it is neither blank nor a comment.
  if (!(first >= 0x41 && first <= 0x5a)) {
    if (BLANK_LINE.test(line)) return { kind: "discarded", reason: "blank line" };
    if (first === 0x23) return { kind: "discarded", reason: "comment" };
  }
  if (line.length > MAX_LINE_LENGTH) {
    return fail(ErrorCode.LineTooLong, `line is ${line.length} bytes, over ${MAX_LINE_LENGTH}`);
  }
  // The last `*` is three from the end: `*HH`.
  const star = line.length - 3;
  if (
    star < 0 ||
    line.charCodeAt(star) !== 0x2a ||
    line.charCodeAt(star + 1) === 0x2a ||
    line.charCodeAt(star + 2) === 0x2a
  ) {
    return fail(ErrorCode.MissingChecksum, "no *HH checksum at the end");
  }
  const high = hexDigit(line.charCodeAt(star + 1));
  const low = hexDigit(line.charCodeAt(star + 2));
  if (high < 0 || low < 0) return fail(ErrorCode.MissingChecksum, `"${line.slice(star + 1)}" is not two hex digits`);
  // One pass over the body: its CRC, whether every char is a byte, and whether every token is
  // visible ASCII but `*` and none is empty; reported in the order the rules come.
  // The same pass notes where each token ends (TOKEN_ENDS): the fields are read in place, with
  // no array of token strings (this runs for every frame a host or device receives).
  let crc = 0;
  let tokensOk = true;
  let afterSpace = true;
  let tokenCount = 0;
  for (let i = 0; i < star; i++) {
    const code = line.charCodeAt(i);
    if (code > MAX_BYTE) return fail(ErrorCode.BadArguments, "a character above 0xFF, which is not a byte");
    crc = CRC_TABLE[crc ^ code] as number;
    if (code === 0x20) {
      if (afterSpace) tokensOk = false;
      else TOKEN_ENDS[tokenCount++] = i;
      afterSpace = true;
    } else {
      afterSpace = false;
      if (code < 0x21 || code > 0x7e || code === 0x2a) tokensOk = false;
    }
  }
  // An empty body or a trailing space: an empty token.
  if (afterSpace) tokensOk = false;
  else TOKEN_ENDS[tokenCount++] = star;
  if (((high << 4) | low) !== crc) {
    const body = line.slice(0, star);
    return fail(ErrorCode.BadChecksum, `checksum ${line.slice(star + 1).toUpperCase()}, expected ${checksumHex(body)}`);
  }
  if (!tokensOk) return fail(ErrorCode.BadArguments, "empty token or a character outside visible ASCII");
  // Every token is now known to be non-empty and separated by exactly one space.
  const name = commandAt(line, TOKEN_ENDS[0] as number);
  if (name === undefined) {
    return fail(ErrorCode.UnknownCommand, `unknown command "${line.slice(0, TOKEN_ENDS[0]).slice(0, 16)}"`);
  }
  return decodeFields(name, line, tokenCount);
}

/** The command names by their first letter's char code (no name starts with anything but A-Z). */
const NAMES_BY_FIRST: ReadonlyArray<readonly CommandName[] | undefined> = (() => {
  const table: CommandName[][] = [];
  for (const name of Object.keys(COMMANDS)) {
    if (!isCommandName(name)) continue;
    const code = name.charCodeAt(0);
    table[code] = [...(table[code] ?? []), name];
  }
  return table;
})();

/**
 * The command whose name is the line's first `length` chars, as the table's own string: found
 * without cutting a name from the line (and hashing it) for every frame.
 */
function commandAt(line: string, length: number): CommandName | undefined {
  const names = NAMES_BY_FIRST[line.charCodeAt(0)];
  if (names === undefined) return undefined;
  for (const name of names) if (name.length === length && line.startsWith(name)) return name;
  return undefined;
}

const MAX_BYTE = 0xff;

/**
 * Where each token of the line being decoded ends (the index of the space or `*` after it):
 * token k runs from TOKEN_ENDS[k - 1] + 1 (0 for the first) to TOKEN_ENDS[k]. A frame is at most
 * MAX_LINE_LENGTH bytes, so it has fewer tokens than that. Reused by every decode(), which runs
 * to completion before the next.
 */
const TOKEN_ENDS = new Int32Array(MAX_LINE_LENGTH);

/** Token `k` of the line being decoded (see TOKEN_ENDS). */
function tokenAt(line: string, k: number): string {
  return line.slice(k === 0 ? 0 : (TOKEN_ENDS[k - 1] as number) + 1, TOKEN_ENDS[k]);
}

/** A keyframe readKey would accept as writeKey writes it: integer duration 1..65535, value -1000..1000, a known easing. */
function quickKey(key: WireKey): boolean {
  return (
    Number.isInteger(key.dtMs) &&
    key.dtMs >= 1 &&
    key.dtMs <= MAX_KEY_DURATION_MS &&
    Number.isInteger(key.value) &&
    key.value >= -FULL_SCALE &&
    key.value <= FULL_SCALE &&
    EASINGS.includes(key.ease)
  );
}

/** 0..15 for 0-9, A-F and a-f; -1 for anything else. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Token `k` of the line being decoded as a canonical decimal integer (no leading zero, no "+",
 * no "-0", at most `maxLength` chars), or NaN. Read in place: no token string is made.
 */
function integerAt(line: string, k: number, maxLength: number): number {
  let i = k === 0 ? 0 : (TOKEN_ENDS[k - 1] as number) + 1;
  const end = TOKEN_ENDS[k] as number;
  const length = end - i;
  if (length === 0 || length > maxLength) return Number.NaN;
  const negative = line.charCodeAt(i) === 0x2d;
  if (negative) i++;
  if (i === end) return Number.NaN;
  if (line.charCodeAt(i) === 0x30) return length === 1 ? 0 : Number.NaN;
  let value = 0;
  for (; i < end; i++) {
    const digit = line.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/**
 * The fields of a frame of `count` tokens whose name, token 0, is `name` (see TOKEN_ENDS).
 * (No closures in here: it runs for every line.)
 */
function decodeFields(name: CommandName, line: string, count: number): DecodeResult {
  const def = COMMANDS[name];
  const message: Record<string, unknown> = { type: name };
  let seq: number | undefined;
  let index = 1;
  if (def.seq) {
    if (index >= count) return fail(ErrorCode.BadArguments, `${name}: missing sequence number`);
    const quick = integerAt(line, index, 5);
    if (!(quick >= 0 && quick <= MAX_SEQ)) {
      return fail(ErrorCode.BadArguments, `${name}: "${tokenAt(line, index)}" is not a sequence number 0..${MAX_SEQ}`);
    }
    index++;
    seq = quick;
    message.seq = seq;
  }
  // Every form and count problem (103) wins over any range problem (104), as PROTOCOL.md orders
  // the checks: ranges are only reported once every field has been read.
  let outOfRange: DecodeResult | undefined;
  for (const field of def.fields as readonly Field[]) {
    if (field.kind === "keys") {
      const first = index;
      index = count;
      if (count - first < 1 || count - first > MAX_KEYS) {
        return fail(ErrorCode.BadArguments, `${name}: needs 1..${MAX_KEYS} keyframes, got ${count - first}`, seq);
      }
      const list: WireKey[] = [];
      for (let k = first; k < count; k++) {
        const read = readKey(tokenAt(line, k), field.name);
        if (read.ok) list.push(read.value);
        else if (!read.outOfRange) return fail(ErrorCode.BadArguments, `${name}: ${read.reason}`, seq);
        else outOfRange ??= fail(ErrorCode.OutOfRange, `${name}: ${read.reason}`, seq);
      }
      const negative = vibrationBelowZero(message, list);
      if (negative) outOfRange ??= fail(ErrorCode.OutOfRange, `${name}: ${negative}`, seq);
      message[field.name] = list;
      continue;
    }
    if (index >= count) return fail(ErrorCode.BadArguments, `${name}: missing ${field.name}`, seq);
    const k = index++;
    if (field.kind === "uint" || field.kind === "int") {
      const value = integerAt(line, k, 11);
      if (value >= field.min && value <= field.max) {
        message[field.name] = value;
        continue;
      }
    }
    const read = readScalar(field, tokenAt(line, k));
    if (read.ok) message[field.name] = field.kind === "uint" || field.kind === "int" ? Number(read.value) : read.value;
    else if (!read.outOfRange) return fail(ErrorCode.BadArguments, `${name}: ${read.reason}`, seq);
    else outOfRange ??= fail(ErrorCode.OutOfRange, `${name}: ${read.reason}`, seq);
  }
  if (index !== count) {
    return fail(ErrorCode.BadArguments, `${name}: ${count - index} unexpected extra field(s)`, seq);
  }
  if (outOfRange) return outOfRange;
  return { kind: "message", message: message as unknown as Message };
}

/** PROTOCOL.md: on a `V` track a keyframe's value is 0..1000 (the keys field alone allows -1000..1000). */
function vibrationBelowZero(message: Record<string, unknown>, keys: readonly WireKey[]): string | undefined {
  if (message.track !== "V") return undefined;
  const key = keys.find((k) => k.value < 0);
  return key ? `V keyframe value ${key.value} is outside 0..${FULL_SCALE}` : undefined;
}

/** Every `\r` right before the `\n` belongs to the line ending (PROTOCOL.md, "Frames"), however many there are. */
function withoutCarriageReturns(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  return end === line.length ? line : line.slice(0, end);
}

function fail(code: WireErrorCode, reason: string, seq?: number): DecodeResult {
  return { kind: "error", code, reason, seq };
}
