/** A hash of every firmware source file and the build settings, so builds are cached by content. */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { FIRMWARE_DIR } from "./paths.ts";

const SOURCE = /\.(c|cpp|h|ino|dict)$/;

async function listSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listSources(path)));
    else if (SOURCE.test(entry.name)) files.push(path);
  }
  return files;
}

/** Hashes the sources under `dirs` (sorted, with their paths) and the `settings` that shape the build. */
export async function sourceHash(dirs: readonly string[], settings: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const setting of settings) hash.update(`${setting}\0`);
  const files = (await Promise.all(dirs.map(listSources))).flat().sort();
  for (const file of files) {
    hash.update(`${relative(FIRMWARE_DIR, file)}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest("hex").slice(0, 16);
}

/** The C and C++ files directly in `dir`. */
export async function compilableFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir);
  return entries
    .filter((name) => /\.(c|cpp|S)$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}
