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
import { checksumHex, isByteString } from "./checksum.ts";
import { COMMANDS, type CommandName, isCommandName, type Message } from "./commands.ts";
import { ErrorCode, MassagerError } from "./errors.ts";
import { type Field, MAX_KEYS, readKey, readScalar, type WireKey, writeKey } from "./fields.ts";
import { MAX_LINE_LENGTH, MAX_SEQ } from "./limits.ts";

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
  const tokens: string[] = [message.type];
  if (def.seq) tokens.push(String(checkedSeq(record.seq, message.type)));
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
        const read = readKey(token, field.name);
        if (!read.ok) throw new MassagerError(ErrorCode.OutOfRange, `${message.type}: ${read.reason}`);
        tokens.push(token);
      }
      continue;
    }
    const read = readScalar(field, String(value));
    if (!read.ok) throw new MassagerError(ErrorCode.OutOfRange, `${message.type}: ${read.reason}`);
    tokens.push(String(value));
  }
  const body = tokens.join(" ");
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

const PRINTABLE_TOKEN = /^[\x21-\x29\x2b-\x7e]+$/; // visible ASCII except '*'
const SEQ_TOKEN = /^(0|[1-9][0-9]{0,4})$/;
const HEX_PAIR = /^[0-9A-F]{2}$/;

/** Only ASCII white space (space and 0x09..0x0D): blank is a rule on bytes, not String.prototype.trim's. */
const BLANK_LINE = /^[\t\n\v\f\r ]*$/;

/**
 * Reads one line (without its line ending; trailing CRs are part of it and ignored), one char per byte.
 * A char above 0xFF is no byte, so no transport delivers one: it is refused like any other
 * non-ASCII character (BadArguments), before the checksum, which is defined on bytes only.
 */
export function decode(input: string): DecodeResult {
  const line = withoutCarriageReturns(input);
  if (BLANK_LINE.test(line)) return { kind: "discarded", reason: "blank line" };
  if (line.startsWith("#")) return { kind: "discarded", reason: "comment" };
  if (line.length > MAX_LINE_LENGTH) {
    return fail(ErrorCode.LineTooLong, `line is ${line.length} bytes, over ${MAX_LINE_LENGTH}`);
  }
  const star = line.lastIndexOf("*");
  if (star < 0 || star !== line.length - 3) return fail(ErrorCode.MissingChecksum, "no *HH checksum at the end");
  const body = line.slice(0, star);
  const given = line.slice(star + 1).toUpperCase();
  if (!HEX_PAIR.test(given)) return fail(ErrorCode.MissingChecksum, `"${line.slice(star + 1)}" is not two hex digits`);
  if (!isByteString(body)) return fail(ErrorCode.BadArguments, "a character above 0xFF, which is not a byte");
  const expected = checksumHex(body);
  if (given !== expected) return fail(ErrorCode.BadChecksum, `checksum ${given}, expected ${expected}`);

  const tokens = body.split(" ");
  for (const token of tokens) {
    if (!PRINTABLE_TOKEN.test(token)) {
      return fail(ErrorCode.BadArguments, "empty token or a character outside visible ASCII");
    }
  }
  const name = tokens[0] ?? "";
  if (!isCommandName(name)) return fail(ErrorCode.UnknownCommand, `unknown command "${name.slice(0, 16)}"`);
  return decodeFields(name, tokens);
}

/** The fields of a frame whose name is `tokens[0]`. (No closures in here: it runs for every line.) */
function decodeFields(name: CommandName, tokens: string[]): DecodeResult {
  const def = COMMANDS[name];
  const message: Record<string, unknown> = { type: name };
  let seq: number | undefined;
  let index = 1;
  if (def.seq) {
    const token = tokens[index++];
    if (token === undefined) return fail(ErrorCode.BadArguments, `${name}: missing sequence number`);
    if (!SEQ_TOKEN.test(token) || Number(token) > MAX_SEQ) {
      return fail(ErrorCode.BadArguments, `${name}: "${token}" is not a sequence number 0..${MAX_SEQ}`);
    }
    seq = Number(token);
    message.seq = seq;
  }
  // Every form and count problem (103) wins over any range problem (104), as PROTOCOL.md orders
  // the checks: ranges are only reported once every field has been read.
  let outOfRange: DecodeResult | undefined;
  for (const field of def.fields as readonly Field[]) {
    if (field.kind === "keys") {
      const tail = tokens.slice(index);
      index = tokens.length;
      if (tail.length < 1 || tail.length > MAX_KEYS) {
        return fail(ErrorCode.BadArguments, `${name}: needs 1..${MAX_KEYS} keyframes, got ${tail.length}`, seq);
      }
      const list: WireKey[] = [];
      for (const token of tail) {
        const read = readKey(token, field.name);
        if (read.ok) list.push(read.value);
        else if (!read.outOfRange) return fail(ErrorCode.BadArguments, `${name}: ${read.reason}`, seq);
        else outOfRange ??= fail(ErrorCode.OutOfRange, `${name}: ${read.reason}`, seq);
      }
      const negative = vibrationBelowZero(message, list);
      if (negative) outOfRange ??= fail(ErrorCode.OutOfRange, `${name}: ${negative}`, seq);
      message[field.name] = list;
      continue;
    }
    const token = tokens[index++];
    if (token === undefined) return fail(ErrorCode.BadArguments, `${name}: missing ${field.name}`, seq);
    const read = readScalar(field, token);
    if (read.ok) message[field.name] = field.kind === "uint" || field.kind === "int" ? Number(read.value) : read.value;
    else if (!read.outOfRange) return fail(ErrorCode.BadArguments, `${name}: ${read.reason}`, seq);
    else outOfRange ??= fail(ErrorCode.OutOfRange, `${name}: ${read.reason}`, seq);
  }
  if (index !== tokens.length) {
    return fail(ErrorCode.BadArguments, `${name}: ${tokens.length - index} unexpected extra field(s)`, seq);
  }
  if (outOfRange) return outOfRange;
  return { kind: "message", message: message as unknown as Message };
}

/** PROTOCOL.md: on a `V` track a keyframe's value is 0..1000 (the keys field alone allows -1000..1000). */
function vibrationBelowZero(message: Record<string, unknown>, keys: readonly WireKey[]): string | undefined {
  if (message.track !== "V") return undefined;
  const key = keys.find((k) => k.value < 0);
  return key ? `V keyframe value ${key.value} is outside 0..1000` : undefined;
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
