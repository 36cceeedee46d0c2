/**
 * What the `massager` command does with a signal that ends it (SIGINT, SIGTERM, SIGHUP, SIGQUIT;
 * SIGBREAK on Windows). An ssh session that drops sends SIGHUP, a service manager SIGTERM, a
 * terminal SIGINT: each must stop the motors first. While motors may run (`play`, `serve`,
 * `simulate`) the command holds a guard: the first signal calls its stop function (ESTOP) and
 * resolves `received`, so the command closes what it holds, prints one line and exits 130.
 * With no guard held (nothing is connected yet) the same one line and exit 130 at once.
 *
 * Whatever happens, the process is gone EXIT_AFTER_MS after the first signal (an unref'd timer:
 * it only fires when something else hangs), and writes to a closed stdout or stderr (the
 * parent died, the pipe closed) are dropped instead of failing, so they never block the exit.
 *
 *   signal ─► a guard is held ─► stop() (ESTOP) ─► `received` resolves ─► command closes, prints, exits 130
 *          └► none ────────────► one line, exit 130
 */
import { writeSync } from "node:fs";
import { ExitCode } from "./exit-codes.ts";

/** The signals that end the command. SIGQUIT does not exist on Windows; SIGBREAK (Ctrl-Break) only there. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] =
  process.platform === "win32"
    ? ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]
    : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

/** However the command's ending goes, the process exits this long after the first signal. */
const EXIT_AFTER_MS = 1800;
/** How long a guard's stop() may take before `received` resolves anyway. */
const STOP_TIMEOUT_MS = 1000;

export interface SignalGuard {
  /** Resolves with the signal once the guard's stop() has finished (or failed, or timed out). Never rejects. */
  readonly received: Promise<NodeJS.Signals>;
  /** The signal, once one came. */
  readonly signal: NodeJS.Signals | undefined;
  /** Stops guarding: a later signal is handled as with no guard. */
  dispose(): void;
}

const guards = new Set<(signal: NodeJS.Signals) => void>();
let installed = false;
let first: NodeJS.Signals | undefined;
let reported = false;

/** Writes without ever throwing or waiting: a closed pipe must not keep the process from stopping. */
export function writeSafely(stream: NodeJS.WriteStream, text: string): void {
  try {
    if (!stream.destroyed && stream.writable) stream.write(text);
  } catch {
    // the reader is gone; nobody can see the line
  }
}

/** The one line a stop by signal prints; printed once however many paths reach it. */
export function reportStopped(signal: NodeJS.Signals, motors: "off" | "none" = "off"): void {
  if (reported) return;
  reported = true;
  const what = motors === "off" ? "the motors are off" : "no motor was running";
  // Synchronous, as process.exit() may follow at once and would drop a queued write.
  try {
    writeSync(2, `massager: stopped; ${what} (${signal})\n`);
  } catch {
    // stderr is closed: nobody can see the line
  }
}

/** Installs the process-wide handlers once (main.ts calls it first; guardSignals() makes sure). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  // EPIPE and friends on the standard streams are emitted as 'error' events; unhandled, they would
  // be uncaught exceptions. The command's output is advisory: drop it.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  for (const signal of ENDING_SIGNALS) process.on(signal, () => onSignal(signal));
  // bin/massager.js handles signals while the sources load (nothing can run yet); this takes over.
  const early = (globalThis as { massagerEarlySignalHandler?: (signal: NodeJS.Signals) => void })
    .massagerEarlySignalHandler;
  if (early !== undefined) for (const signal of ENDING_SIGNALS) process.off(signal, early);
}

function onSignal(signal: NodeJS.Signals): void {
  // A second signal while stopping changes nothing: the stop is under way and the exit is bounded.
  if (first !== undefined) return;
  // A command with its own handler for this signal and no guard (flash aborts its write) owns it.
  if (guards.size === 0 && process.listenerCount(signal) > 1) return;
  first = signal;
  // Whether a guard took the stop: it may have been disposed by the time the fallback fires.
  const guarded = guards.size > 0;
  setTimeout(() => {
    reportStopped(signal, guarded ? "off" : "none");
    process.exit(ExitCode.Interrupted);
  }, EXIT_AFTER_MS).unref();
  if (guards.size === 0) {
    reportStopped(signal, "none");
    process.exit(ExitCode.Interrupted);
  }
  for (const guard of [...guards]) guard(signal);
}

/** Guards the motors until dispose(): on the first ending signal, `stop` runs once. */
export function guardSignals(stop: () => Promise<void> | void): SignalGuard {
  installSignalHandlers();
  let signal: NodeJS.Signals | undefined;
  let resolveReceived: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    resolveReceived = resolve;
  });
  const handler = (value: NodeJS.Signals) => {
    if (signal !== undefined) return;
    signal = value;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_TIMEOUT_MS);
    });
    // stop() runs from a promise so that even a synchronous throw in it cannot escape the guard.
    const stopping = Promise.resolve()
      .then(stop)
      .catch(() => undefined);
    void Promise.race([stopping, timedOut]).then(() => {
      clearTimeout(timer);
      resolveReceived(value);
    });
  };
  guards.add(handler);
  // A signal that came before this guard existed (between two guards) still stops what it guards.
  if (first !== undefined) handler(first);
  return {
    received,
    get signal() {
      return signal;
    },
    dispose: () => {
      guards.delete(handler);
    },
  };
}
