/** Runs the `massager` command as a user would (`node bin/massager.js …`), each run under a hard timeout. */
import { type ManagedProcess, spawnManaged } from "./managed-process.ts";
import { MASSAGER_BIN, REPO_ROOT } from "./paths.ts";

export interface CliResult {
  /** The exit code; null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `massager args` from the repository root; it is killed after `timeoutMs` whatever happens.
 * `entry` is what node runs instead of bin/massager.js, e.g. `["--import", "tsx", "launcher.ts"]`.
 * Teardown: stopAll() from managed-process.ts.
 */
export function startMassager(
  args: readonly string[],
  timeoutMs = 20_000,
  entry: readonly string[] = [MASSAGER_BIN],
): ManagedProcess {
  return spawnManaged(`massager ${args.join(" ")}`, process.execPath, [...entry, ...args], {
    timeoutMs,
    cwd: REPO_ROOT,
  });
}

/** Runs `massager args` to its end; rejects if it has not finished within `timeoutMs`. */
export async function runMassager(args: readonly string[], timeoutMs = 15_000): Promise<CliResult> {
  const run = startMassager(args, timeoutMs);
  const status = await run.exited;
  if (run.timedOut()) {
    throw new Error(`massager ${args.join(" ")} did not finish in ${timeoutMs} ms; it said: ${run.output()}`);
  }
  return { code: typeof status === "number" ? status : null, stdout: run.stdout(), stderr: run.stderr() };
}
