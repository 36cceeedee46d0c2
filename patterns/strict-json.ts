/**
 * A strict JSON reader for pattern files (RFC 8259 and nothing more), which says where each
 * value starts. JSON.parse is lenient where a file the person edits by hand should not be: a
 * duplicate key silently keeps the last value (hiding a bad first one) and a lone surrogate
 * escape (`\uD800`) becomes an unpaired UTF-16 half. Its error messages carry no line or
 * column. This one refuses both, names what is wrong in words (NaN, Infinity, `+5`, `.5`,
 * comments, trailing commas), and records the line and column of every value by its JSON path
 * so schema problems can point at the line too. Renderer-safe: text in, no I/O.
 */
import { jsonPath } from "./json-path.ts";

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

export type StrictJson =
  | { ok: true; value: unknown; positions: Map<string, Position> }
  | { ok: false; position: Position; message: string };

/** Nesting deeper than this is no pattern file, and would overflow the stack. */
const MAX_DEPTH = 64;

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** The line and column of `offset` in `text`. */
function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A character as it can be shown in a one-line message. */
function show(char: string | undefined): string {
  if (char === undefined) return "the end of the file";
  const code = char.charCodeAt(0);
  if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff) || code === 0xfeff) {
    return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return JSON.stringify(char);
}

export function parseStrictJson(text: string): StrictJson {
  const positions = new Map<string, Position>();
  let i = 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };
  const skipSpace = () => {
    for (;;) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) fail("comments are not allowed in JSON");
      else return;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // the opening quote
    let out = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('a string is not closed (missing ")', start);
      if (c === '"') {
        i++;
        return out;
      }
      const code = c?.charCodeAt(0) ?? 0;
      if (code < 0x20) fail(`a control character (${show(c)}) inside a string; write it as an escape such as \\n`);
      if (c !== "\\") {
        out += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
        continue;
      }
      if (e !== "u") fail(`\\${e ?? ""} is not a JSON escape`);
      const unit = readHex(i + 2);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        // A high surrogate must be followed by its low half, as another \u escape.
        const low = text.slice(i + 6, i + 8) === "\\u" ? readHex(i + 8) : -1;
        if (low < 0xdc00 || low > 0xdfff) fail(`\\u${hex(unit)} is half of a surrogate pair with no low half after it`);
        out += String.fromCharCode(unit, low);
        i += 12;
        continue;
      }
      if (unit >= 0xdc00 && unit <= 0xdfff)
        fail(`\\u${hex(unit)} is the low half of a surrogate pair with no high half`);
      out += String.fromCharCode(unit);
      i += 6;
    }
  };
  const readHex = (at: number): number => {
    const digits = text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) fail("\\u needs four hex digits", at - 2);
    return Number.parseInt(digits, 16);
  };
  const hex = (unit: number) => unit.toString(16).toUpperCase().padStart(4, "0");

  const parseNumber = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    const c = text[i];
    if (!match) {
      if (c === "-" && text.startsWith("Infinity", i + 1)) fail("-Infinity is not JSON; write a number");
      fail(`${show(c)} does not start a number`);
    }
    const end = i + (match?.[0].length ?? 0);
    const next = text[end];
    if (match?.[1] === "0" && next !== undefined && /\d/.test(next))
      fail("a number cannot start with 0 (no leading zeros)");
    if (next === ".") fail("a decimal point needs digits after it (write 5.0 or 5)", end);
    if (next === "e" || next === "E") fail("an exponent needs digits (write 1e3)", end);
    const value = Number(match?.[0]);
    if (!Number.isFinite(value)) fail("a number too large for JSON");
    i = end;
    return value;
  };

  const parseValue = (path: (string | number)[], depth: number): unknown => {
    skipSpace();
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    positions.set(jsonPath(path), positionOf(text, i));
    const c = text[i];
    if (c === "{") return parseObject(path, depth);
    if (c === "[") return parseArray(path, depth);
    if (c === '"') return parseString();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    if (text.startsWith("NaN", i)) fail("NaN is not JSON; write a number");
    if (text.startsWith("Infinity", i)) fail("Infinity is not JSON; write a number");
    if (c === "+") fail("a number cannot start with + (write 5, not +5)");
    if (c === ".") fail("a number needs a digit before the decimal point (write 0.5, not .5)");
    if (c === "'") fail("strings take double quotes in JSON");
    if (c === "\uFEFF") fail("a byte-order mark (U+FEFF) in the middle of the file; save it as UTF-8 without BOM");
    if (c === undefined) fail("the file ends where a value was expected");
    return fail(`${show(c)} cannot start a value`);
  };

  const parseObject = (path: (string | number)[], depth: number): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    skipSpace();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[i] === "}") fail("a comma before } (trailing commas are not allowed in JSON)");
      if (text[i] !== '"') fail(`${show(text[i])} where a key in double quotes was expected`);
      const keyAt = i;
      const key = parseString();
      const first = seen.get(key);
      if (first !== undefined) {
        const where = positionOf(text, first);
        fail(`duplicate key ${JSON.stringify(key)} (first at line ${where.line}, column ${where.column})`, keyAt);
      }
      seen.set(key, keyAt);
      skipSpace();
      if (text[i] !== ":") fail(`${show(text[i])} where : was expected after the key`);
      i++;
      // Own property even for "__proto__", never the prototype.
      Object.defineProperty(out, key, {
        value: parseValue([...path, key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skipSpace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail(`${show(text[i])} where , or } was expected`);
    }
  };

  const parseArray = (path: (string | number)[], depth: number): unknown[] => {
    i++;
    const out: unknown[] = [];
    skipSpace();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[i] === "]") fail("a comma before ] (trailing commas are not allowed in JSON)");
      out.push(parseValue([...path, out.length], depth + 1));
      skipSpace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail(`${show(text[i])} where , or ] was expected`);
    }
  };

  try {
    const value = parseValue([], 0);
    skipSpace();
    if (i < text.length) fail(`${show(text[i])} after the end of the JSON value`);
    return { ok: true, value, positions };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, position: positionOf(text, error.offset), message: error.message };
  }
}
