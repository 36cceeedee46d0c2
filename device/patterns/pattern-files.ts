/**
 * Reading user pattern and routine files from disk. The checks themselves are renderer-safe
 * (patterns/validate.ts); this adds what only Node can do: open the file, and turn every
 * way that can fail (missing, a directory, unreadable, too big) into a problem line.
 */
import { readFile, stat } from "node:fs/promises";
import { getPattern } from "../../patterns/library/index.ts";
import { checkDocumentText, type DocumentCheck, type Problem } from "../../patterns/validate.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Pattern, Routine } from "../../protocol/pattern.ts";

/** Pattern files are a few kilobytes; anything far bigger is not one. */
const MAX_PATTERN_FILE_BYTES = 1_000_000;

export interface FileCheck {
  file: string;
  check: DocumentCheck;
}

/** Reads a file as text, or returns the one problem that stopped it. */
async function readPatternText(file: string): Promise<{ text: string } | { problem: Problem }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { problem: { path: "$", message: "is a directory, not a pattern file" } };
    if (!info.isFile()) return { problem: { path: "$", message: "is not a regular file" } };
    if (info.size > MAX_PATTERN_FILE_BYTES) {
      return { problem: { path: "$", message: `is ${info.size} bytes; a pattern file is at most 1 MB` } };
    }
    return decodePatternBytes(await readFile(file));
  } catch (error) {
    return { problem: { path: "$", message: describeFsError(error) } };
  }
}

/** Byte-order marks of encodings a pattern file must not be in, longest first. */
const FOREIGN_BOMS: [number[], string][] = [
  [[0x00, 0x00, 0xfe, 0xff], "UTF-32"],
  [[0xff, 0xfe, 0x00, 0x00], "UTF-32"],
  [[0xfe, 0xff], "UTF-16"],
  [[0xff, 0xfe], "UTF-16"],
];

/**
 * The file's bytes as text: UTF-8 only (one leading UTF-8 byte-order mark is tolerated, as RFC
 * 8259 allows). Invalid UTF-8 is refused with its line and column instead of being replaced by
 * U+FFFD, which would change the person's text without a word.
 */
function decodePatternBytes(bytes: Uint8Array): { text: string } | { problem: Problem } {
  for (const [mark, encoding] of FOREIGN_BOMS) {
    if (mark.every((byte, index) => bytes[index] === byte)) {
      return {
        problem: {
          path: "$",
          message: `the file is ${encoding} (byte-order mark); save it as UTF-8`,
          line: 1,
          column: 1,
        },
      };
    }
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad));
    const lines = before.split("\n");
    const hex = Array.from(bytes.subarray(bad, bad + 1), (byte) => byte.toString(16).toUpperCase().padStart(2, "0"));
    return {
      problem: {
        path: "$",
        message: `invalid UTF-8 (byte 0x${hex[0] ?? "??"}); save the file as UTF-8`,
        line: lines.length,
        column: (lines.at(-1)?.length ?? 0) + 1,
      },
    };
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    const sequence = bytes.subarray(i, i + need + 1);
    if (sequence.length < need + 1) return i;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(sequence);
    } catch {
      return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Checks each file. A routine's steps may name built-in patterns or patterns defined in the
 * other files of the same call.
 */
export async function checkPatternFiles(files: readonly string[]): Promise<FileCheck[]> {
  const texts = await Promise.all(files.map(readPatternText));
  const firstPass = texts.map((read) => ("text" in read ? checkDocumentText(read.text) : undefined));
  const userIds = new Set<string>();
  for (const check of firstPass) if (check?.ok && check.kind === "pattern") userIds.add(check.value.id);
  const exists = (id: string) => userIds.has(id) || getPattern(id) !== undefined;
  return files.map((file, index) => {
    const read = texts[index];
    if (read === undefined || "problem" in read) {
      return { file, check: { ok: false, kind: "json", problems: read ? [read.problem] : [] } };
    }
    return { file, check: checkDocumentText(read.text, exists) };
  });
}

/**
 * Loads one user pattern or routine file for playing. Throws MassagerError FileUnreadable (602)
 * or InvalidPattern (601) with the first problem.
 */
export async function loadPatternFile(file: string): Promise<Pattern | Routine> {
  const read = await readPatternText(file);
  if ("problem" in read) {
    throw new MassagerError(ErrorCode.FileUnreadable, `${file}: ${read.problem.message}`, {
      hint: "check the path; a pattern file is a JSON file",
    });
  }
  const check = checkDocumentText(read.text, (id) => getPattern(id) !== undefined);
  if (check.ok) return check.value;
  const first = check.problems[0];
  throw new MassagerError(ErrorCode.InvalidPattern, `${file}: ${first?.path ?? "$"}: ${first?.message ?? "invalid"}`, {
    hint: `run \`massager patterns validate ${file}\` to see every problem`,
  });
}

function describeFsError(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a pattern file";
    case "ENAMETOOLONG":
      return "the file name is too long";
    default:
      return `cannot read it (${code || (error instanceof Error ? error.message : String(error))})`;
  }
}
