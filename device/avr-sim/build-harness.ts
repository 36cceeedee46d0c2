/**
 * Builds the simavr harness (harness/avr-sim.c) with the host's gcc against Debian's
 * libsimavr-dev and libelf-dev, into the gitignored build folder beside this file.
 */
import { execFile } from "node:child_process";
import { mkdir, rename, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** The harness's C source. */
const HARNESS_SOURCE = join(here, "harness", "avr-sim.c");
/** Where the built harness lands (gitignored). */
export const AVR_SIM_BUILD_DIR = join(here, "build");
/** The harness executable. */
const HARNESS_BINARY = join(AVR_SIM_BUILD_DIR, "avr-sim");

const INSTALL_HINT = "install the toolchain: apt-get install -y gcc pkg-config libsimavr-dev libelf-dev";

async function mtimeMs(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function simavrFlags(): Promise<string[]> {
  try {
    const { stdout } = await run("pkg-config", ["--cflags", "--libs", "simavr"], { timeout: 10_000 });
    return stdout.trim().split(/\s+/).filter(Boolean);
  } catch {
    // Debian's simavr.pc is present with libsimavr-dev; these are its contents, for hosts without pkg-config.
    return ["-I/usr/include/simavr", "-lsimavr"];
  }
}

/**
 * Compiles the harness when it is missing or older than its source, and returns its path.
 * Safe to call from parallel test workers: each compiles to its own file and renames it into place.
 */
export async function buildHarness(options: { force?: boolean } = {}): Promise<string> {
  const built = await mtimeMs(HARNESS_BINARY);
  const source = await mtimeMs(HARNESS_SOURCE);
  if (source === undefined) {
    throw new MassagerError(ErrorCode.EmulatorFailed, `the harness source is missing: ${HARNESS_SOURCE}`);
  }
  if (!options.force && built !== undefined && built >= source) return HARNESS_BINARY;

  await mkdir(AVR_SIM_BUILD_DIR, { recursive: true });
  const temporary = `${HARNESS_BINARY}.${process.pid}.tmp`;
  const args = [
    "-O2",
    "-Wall",
    "-Wextra",
    "-o",
    temporary,
    HARNESS_SOURCE,
    ...(await simavrFlags()),
    "-lelf",
    "-lutil",
  ];
  try {
    await run("gcc", args, { timeout: 120_000 });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split("\n").slice(0, 5).join(" | ") ?? String(error);
    throw new MassagerError(ErrorCode.EmulatorFailed, `could not build the simavr harness: ${detail}`, {
      hint: INSTALL_HINT,
      cause: error,
    });
  }
  await rename(temporary, HARNESS_BINARY);
  return HARNESS_BINARY;
}
