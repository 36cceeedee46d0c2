/**
 * Crash-safe file writes: the new content goes to a temporary file beside the target, is
 * flushed to disk (fsync), then renamed over the target, and the folder is synced so the
 * rename itself survives a power cut. A reader sees the old file or the new one, never half.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { z } from "zod";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

/** Writes `data` to `path` atomically (temp file, fsync, rename, fsync of the folder). */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "w", 0o600);
    try {
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new MassagerError(ErrorCode.FileUnreadable, `could not save ${path}: ${(error as Error).message}`, {
      hint: "check that the folder exists, is writable and the disk is not full",
      cause: error,
    });
  }
  await syncFolder(folder);
}

async function syncFolder(folder: string): Promise<void> {
  // Not every platform can fsync a directory (Windows cannot); the rename is then as durable as the OS makes it.
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}

/** Writes a value as pretty JSON, atomically. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Reads a JSON file and checks it against `schema`. A missing file gives `fallback`; a file
 * that is not valid JSON or does not match the schema is an error naming the file and the fix.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw new MassagerError(ErrorCode.FileUnreadable, `could not read ${path}: ${(error as Error).message}`, {
      hint: "check the file's permissions",
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MassagerError(ErrorCode.FileUnreadable, `${path} is not valid JSON`, {
      hint: "fix or delete the file; the app recreates it",
      cause: error,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MassagerError(
      ErrorCode.FileUnreadable,
      `${path}: ${issue?.path.join(".") || "content"}: ${issue?.message ?? "invalid"}`,
      { hint: "fix or delete the file; the app recreates it" },
    );
  }
  return parsed.data;
}
