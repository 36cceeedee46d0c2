/**
 * What a suite needs from the machine, and the one policy for when it is missing: with CI=true
 * the suite fails loudly (CI never skips: .ci/run installs everything); on a developer machine
 * it is skipped, and says why and how to install what is missing.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { isMassagerError } from "../../protocol/errors.ts";

/** True under CI (CI=true, as CI services and .ci/run set it). */
export const IN_CI = ["true", "1"].includes((process.env.CI ?? "").toLowerCase());

/** The commands among `names` that are not on PATH. */
export function missingCommands(names: readonly string[]): string[] {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  return names.filter(
    (name) =>
      !dirs.some((dir) => {
        try {
          accessSync(join(dir, name), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  );
}

/**
 * Whether `suite` can run, given what it lacks (`missing`, empty when nothing is). A missing
 * piece throws under CI; elsewhere it prints why the suite is skipped and `fix`, and returns false.
 */
export function canRun(suite: string, missing: readonly string[], fix: string): boolean {
  if (missing.length === 0) return true;
  const message = `${suite} needs ${missing.join(", ")}: ${fix}`;
  if (IN_CI) throw new Error(`${message} (CI must not skip it; see .ci/run)`);
  console.warn(`skipping: ${message}`);
  return false;
}

/** canRun() for commands on PATH. */
export function haveCommands(suite: string, names: readonly string[], fix: string): boolean {
  return canRun(suite, missingCommands(names), fix);
}

export type Gate<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Builds what a suite needs (a firmware, a fuzzer). A build that fails because a tool is not
 * installed skips the suite on a developer machine and fails it under CI; any other failure throws.
 */
export async function gate<T>(what: string, build: () => Promise<T>): Promise<Gate<T>> {
  try {
    return { ok: true, value: await build() };
  } catch (error) {
    const missing = isMassagerError(error) && /is not installed|is missing/.test(error.message);
    if (IN_CI || !missing) throw error;
    const reason = `${what}: ${error.message}${error.hint ? ` (fix: ${error.hint})` : ""}`;
    console.warn(`skipping: ${reason}`);
    return { ok: false, reason };
  }
}
