/**
 * What the `massager` command does with a bug that escapes every try/catch: an uncaught
 * exception or an unhandled rejection. While motors may run (a `play` session, `serve` with a
 * device) the command holds a guard: the first crash calls the guard's stop function (ESTOP)
 * and resolves `crashed`, so the command can close what it holds and end with one line and exit
 * 70 (ExitCode.Internal). With no guard held, the same line and exit 70 at once. Only the CLI
 * installs these handlers; library code never does.
 *
 *   uncaughtException ─┐            ┌─ a guard is held ─► stop() (ESTOP), then `crashed` resolves;
 *   unhandledRejection ┴─► onCrash ─┤                     the command closes and exits 70
 *                                   └─ none ────────────► one line, exit 70
 */
import { ExitCode } from "./exit-codes.ts";

/** The first crash a guard saw: the thrown value, whatever it is. */
export interface Crash {
  error: unknown;
}

export interface CrashGuard {
  /** Resolves once the first crash's stop() has finished (or failed, or timed out). Never rejects. */
  readonly crashed: Promise<Crash>;
  /** The first crash, once there has been one. */
  readonly crash: Crash | undefined;
  /** Stops guarding: a later crash is handled as with no guard. */
  dispose(): void;
}

export interface GuardOptions {
  /** How long stop() may take before the command goes on ending anyway, ms. Default 3000. */
  stopTimeoutMs?: number;
  /** Should the command's own ending hang after a crash, exit 70 after this long, ms. Default 10 000. */
  exitAfterMs?: number;
}

const guards = new Set<(error: unknown) => void>();
let installed = false;

/** Installs the process-wide handlers once (main.ts calls it first; guardCrashes() makes sure). */
export function installCrashHandlers(): void {
  if (installed) return;
  installed = true;
  const onCrash = (error: unknown) => {
    if (guards.size === 0) {
      process.stderr.write(crashMessage(error, false));
      process.exit(ExitCode.Internal);
    }
    for (const guard of [...guards]) guard(error);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
}

/** Guards the motors until dispose(): on the first crash, `stop` runs once (later crashes change nothing). */
export function guardCrashes(stop: () => Promise<void>, options: GuardOptions = {}): CrashGuard {
  installCrashHandlers();
  const stopTimeoutMs = options.stopTimeoutMs ?? 3000;
  const exitAfterMs = options.exitAfterMs ?? 10_000;
  let crash: Crash | undefined;
  let resolveCrashed: (crash: Crash) => void = () => {};
  const crashed = new Promise<Crash>((resolve) => {
    resolveCrashed = resolve;
  });
  const handler = (error: unknown) => {
    if (crash !== undefined) return;
    const first = { error };
    crash = first;
    // The last resort, should closing hang: unref'd, so it never keeps a finished process alive.
    setTimeout(() => {
      process.stderr.write(crashMessage(error, true));
      process.exit(ExitCode.Internal);
    }, exitAfterMs).unref();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, stopTimeoutMs);
    });
    // stop() runs from a promise so that even a synchronous throw in it cannot escape the guard.
    const stopping = Promise.resolve()
      .then(stop)
      .catch(() => {});
    Promise.race([stopping, timedOut]).then(
      () => {
        clearTimeout(timer);
        resolveCrashed(first);
      },
      () => resolveCrashed(first),
    );
  };
  guards.add(handler);
  return {
    crashed,
    get crash() {
      return crash;
    },
    dispose: () => {
      guards.delete(handler);
    },
  };
}

/**
 * The one line a crash prints: what failed, whether the motors were stopped, and what to do.
 * MASSAGER_DEBUG=1 adds the stack on the lines after it, for a bug report.
 */
export function crashMessage(error: unknown, motorsStopped: boolean): string {
  const text = error instanceof Error ? error.message : String(error);
  const stopped = motorsStopped ? "; the motors were stopped" : "";
  const line = `massager: unexpected error: ${text.split("\n")[0]}${stopped} (a bug: run again with MASSAGER_DEBUG=1 and report what it prints)\n`;
  const stack = process.env.MASSAGER_DEBUG && error instanceof Error ? `${error.stack}\n` : "";
  return line + stack;
}
