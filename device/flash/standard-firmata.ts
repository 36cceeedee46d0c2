/**
 * The stock StandardFirmata build for the Uno and the Nano, as the avrgirl-arduino npm package
 * ships it. It is never committed: it is fetched with `npm pack` on first use into a cache
 * folder and read from there afterwards.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

const run = promisify(execFile);

/** The npm package (and major version) that carries the prebuilt hex files. */
const AVRGIRL_PACKAGE = "avrgirl-arduino@5";

export type FirmataBoard = "uno" | "nano";

/** `$XDG_CACHE_HOME/scalp-massager`, or `~/.cache/scalp-massager`. */
function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "scalp-massager");
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The path of StandardFirmata's Intel HEX for `board`, fetched into `cacheDir` if it is not there yet.
 * Needs `npm` and `tar` and, the first time, access to the npm registry.
 */
export async function standardFirmataHex(board: FirmataBoard, cacheDir = defaultCacheDir()): Promise<string> {
  const dir = join(cacheDir, "standard-firmata");
  const hex = join(dir, `StandardFirmata-${board}.hex`);
  if (await exists(hex)) return hex;
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, "fetch-"));
  try {
    await run("npm", ["pack", AVRGIRL_PACKAGE, "--silent", "--pack-destination", work], {
      timeout: 120_000,
      cwd: work,
    });
    const tarball = (await readdir(work)).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack produced no tarball");
    for (const name of ["uno", "nano"] as const) {
      const member = `package/junk/hex/${name}/StandardFirmata.cpp.hex`;
      await run("tar", ["-xzf", join(work, tarball), "-C", work, member], { timeout: 60_000 });
      await rename(join(work, member), join(dir, `StandardFirmata-${name}.hex`));
    }
    return hex;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new MassagerError(
      ErrorCode.FirmwareMissing,
      `could not fetch StandardFirmata from ${AVRGIRL_PACKAGE}: ${detail}`,
      {
        hint: "check that npm can reach its registry (npm ping), or pass --firmware FILE.hex with your own build",
        cause: error,
      },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
