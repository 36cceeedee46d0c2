/**
 * Crash-safe file writes: the new content goes to a temporary file beside the target, is
 * flushed to disk (fsync), then renamed over the target, and the folder is synced so the
 * rename itself survives a power cut. A reader sees the old file or the new one, never half.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { z } from "zod";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

/** Writes `data` to `path` atomically (temp file, fsync, rename, fsync of the folder). */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await mkdir(folder, { recursive: true });
    const handle = await open(temp, "w", 0o600);
    try {
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOSPC"
        ? "the disk is full"
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? "the folder is not writable"
          : (code ?? "the write failed");
    throw new MassagerError(ErrorCode.FileUnwritable, `could not save ${path}: ${why}`, {
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

/** A file the app could not use, set aside so the app could start with defaults. */
export interface SetAside {
  /** The file's name in the data folder, e.g. `settings.json`. */
  file: string;
  /** Where it went, e.g. `settings.json.broken-2026-12-01T02-30-00Z`. */
  keptAs: string;
  why: string;
}

/**
 * Like readJsonFile, but a file that is not valid JSON or does not match the schema is renamed
 * aside (never overwritten, never deleted) and `fallback` is used: a broken settings.json must
 * not block every session when defaults exist. `onSetAside` hears of it once per file.
 */
export async function readJsonOrSetAside<T>(
  path: string,
  schema: z.ZodType<T>,
  fallback: T,
  onSetAside: (event: SetAside) => void,
): Promise<T> {
  try {
    return await readJsonFile(path, schema, fallback);
  } catch (error) {
    const cause = (error as MassagerError).cause as NodeJS.ErrnoException | undefined;
    // An unreadable file (permissions) is not broken: moving it would not help; say so as it is.
    if (cause?.code !== undefined) throw error;
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const keptAs = `${basename(path)}.broken-${stamp}`;
    try {
      await rename(path, join(dirname(path), keptAs));
    } catch (renameError) {
      // Another reader set it aside a moment ago.
      if ((renameError as NodeJS.ErrnoException).code === "ENOENT") return fallback;
      throw error;
    }
    const message = (error as Error).message;
    onSetAside({ file: basename(path), keptAs, why: message.slice(message.indexOf(basename(path))) });
    return fallback;
  }
}

/** Temporary files older than this are left over from a save that was killed. */
const STALE_TEMP_MS = 60_000;

/** Removes what killed saves left behind (`.<name>.<hex>.tmp`) in `folder`; returns how many. */
export async function removeStaleTemps(folder: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!/^\..+\.[0-9a-f]{12}\.tmp$/.test(name)) continue;
    const file = join(folder, name);
    try {
      const info = await stat(file);
      if (info.isFile() && now - info.mtimeMs > STALE_TEMP_MS) {
        await rm(file, { force: true });
        removed++;
      }
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
