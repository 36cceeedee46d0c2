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
export const MAX_PATTERN_FILE_BYTES = 1_000_000;

export interface FileCheck {
  file: string;
  check: DocumentCheck;
}

/** Reads a file as text, or returns the one problem that stopped it. */
export async function readPatternText(file: string): Promise<{ text: string } | { problem: Problem }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { problem: { path: "$", message: "is a directory, not a pattern file" } };
    if (!info.isFile()) return { problem: { path: "$", message: "is not a regular file" } };
    if (info.size > MAX_PATTERN_FILE_BYTES) {
      return { problem: { path: "$", message: `is ${info.size} bytes; a pattern file is at most 1 MB` } };
    }
    return { text: await readFile(file, "utf8") };
  } catch (error) {
    return { problem: { path: "$", message: describeFsError(error) } };
  }
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
