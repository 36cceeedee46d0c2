/**
 * Keys while `massager play` runs on a terminal: ↑/↓ turn the intensity up or down by a step
 * (live, through the device's gain; never below 0 or above the person's maximum), Space pauses
 * and resumes, q or Esc stops (the motors ramp down; the command ends as a completed stop).
 * Ctrl-C and Ctrl-\ keep their meaning: raw mode turns them into bytes, so they are sent on as
 * the signals the terminal would have sent (signal-guard.ts stops the motors and exits 130).
 *
 *   terminal bytes ─► parseKeys ─► up/down ─► coalesced setIntensity (one in flight, the last target wins)
 *                                 space ───► pause() / resume()
 *                                 q, Esc ──► stop()
 */
import type { Controller } from "../../controller/controller.ts";

export type Key = "up" | "down" | "pause" | "stop" | "interrupt" | "quit";

/** How much one ↑ or ↓ changes the intensity, in percent points. */
export const INTENSITY_STEP = 5;

/**
 * The keys in one chunk of terminal input, in order. Arrows come as CSI (`ESC [ A`) or SS3
 * (`ESC O A`, a terminal in application mode); an ESC with nothing after it in its chunk is the
 * Esc key itself. Anything else is ignored.
 */
export function parseKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c === "\u001b") {
      const next = chunk[i + 1];
      if (next === undefined) {
        keys.push("stop");
      } else if (next === "[" || next === "O") {
        // CSI/SS3: parameters, then one final byte (@..~)
        let j = i + 2;
        while (j < chunk.length && !/[@-~]/.test(chunk[j] ?? "")) j++;
        const final = chunk[j];
        if (final === "A") keys.push("up");
        else if (final === "B") keys.push("down");
        i = j;
      } else if (next === "\u001b") {
        keys.push("stop"); // Esc pressed twice in one read
      }
      // ESC + another byte is Alt+key: nothing of ours
      continue;
    }
    if (c === " ") keys.push("pause");
    else if (c === "q" || c === "Q") keys.push("stop");
    else if (c === "+" || c === "k") keys.push("up");
    else if (c === "-" || c === "j") keys.push("down");
    else if (c === "\u0003") keys.push("interrupt");
    else if (c === "\u001c") keys.push("quit");
  }
  return keys;
}

/** What the keys act on: the playing controller, or a stand-in in tests. */
export type KeyTarget = Pick<Controller, "setIntensity" | "pause" | "resume" | "stop">;

/** A terminal's input: process.stdin, or a PassThrough in tests. */
export interface KeyInput {
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
  setRawMode?(raw: boolean): unknown;
  isRaw?: boolean;
}

export interface KeyOptions {
  /** The session's intensity, percent. */
  intensity: number;
  /** The person's maximum intensity, percent: ↑ never goes past it. */
  maxIntensity: number;
  /** Each intensity the keys asked for (before the device acknowledged it). */
  onIntensity?: (percent: number) => void;
  /** A one-line problem to show (a 1.0 firmware without live intensity, a refused pause). */
  onProblem?: (message: string) => void;
  /** After q or Esc asked for the stop. */
  onStop?: () => void;
  /** Ctrl-C and Ctrl-\ in raw mode; default: the signal to this process. */
  onSignal?: (signal: NodeJS.Signals) => void;
}

export interface LiveKeys {
  /** The intensity the keys last asked for. */
  readonly intensity: number;
  /** True once q or Esc asked to stop. */
  readonly stopped: boolean;
  /** Resolves once every request the keys made has settled. */
  idle(): Promise<void>;
  /** Stops listening and gives the terminal back (raw mode off). Safe to call twice. */
  close(): void;
}

const restorers = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Listens to `input` and acts on `target`. In raw mode when the input has it (a TTY), which is
 * always turned off again: by close(), and by an exit hook for every other way out (a signal's
 * or a crash's process.exit). Only SIGKILL leaves the terminal raw (`reset` repairs it).
 */
export function listenToKeys(input: KeyInput, target: KeyTarget, options: KeyOptions): LiveKeys {
  let percent = clamp(options.intensity, options.maxIntensity);
  let paused = false;
  let stopped = false;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();
  let sending = false;
  let wanted: number | undefined;

  const problem = (error: unknown) => options.onProblem?.(error instanceof Error ? error.message : String(error));
  // Requests run one after the other, in key order: a pause never overtakes the resume before it.
  const queue = (task: () => Promise<void>) => {
    chain = chain.then(task).catch(problem);
  };
  // Intensity: one GAIN in flight; keys pressed meanwhile only move the target, sent next.
  const sendIntensity = () => {
    if (sending) return;
    sending = true;
    queue(async () => {
      try {
        while (wanted !== undefined && !stopped) {
          const value = wanted;
          wanted = undefined;
          await target.setIntensity(value);
        }
      } finally {
        sending = false;
      }
    });
  };

  const onKey = (key: Key) => {
    if (key === "interrupt" || key === "quit") {
      (options.onSignal ?? sendSignal)(key === "interrupt" ? "SIGINT" : "SIGQUIT");
      return;
    }
    if (stopped) return;
    switch (key) {
      case "up":
      case "down": {
        const next = clamp(percent + (key === "up" ? INTENSITY_STEP : -INTENSITY_STEP), options.maxIntensity);
        if (next === percent) return;
        percent = next;
        wanted = next;
        options.onIntensity?.(next);
        sendIntensity();
        return;
      }
      case "pause": {
        paused = !paused;
        const pausing = paused;
        queue(async () => {
          try {
            await (pausing ? target.pause() : target.resume());
          } catch (error) {
            paused = !pausing; // it did not happen: the next Space asks for the same again
            throw error;
          }
        });
        return;
      }
      case "stop":
        stopped = true;
        options.onStop?.();
        // Not queued: a stop never waits behind an intensity change or a pause.
        chain = Promise.all([chain, target.stop().catch(problem)]).then(() => {});
        return;
    }
  };

  const onData = (chunk: Buffer | string) => {
    for (const key of parseKeys(typeof chunk === "string" ? chunk : chunk.toString("latin1"))) onKey(key);
  };

  const wasRaw = input.isRaw ?? false;
  const restore = () => {
    if (input.setRawMode && !wasRaw) input.setRawMode(false);
  };
  input.setRawMode?.(true);
  restorers.add(restore);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const undo of restorers) undo();
    });
  }
  input.on("data", onData);
  input.resume();

  return {
    get intensity() {
      return percent;
    },
    get stopped() {
      return stopped;
    },
    idle: () => chain,
    close: () => {
      if (closed) return;
      closed = true;
      input.off("data", onData);
      input.pause();
      restore();
      restorers.delete(restore);
    },
  };
}

/** The signal the terminal would have sent had it not been in raw mode (Windows has no SIGQUIT: Ctrl-\ then stops as Ctrl-C). */
function sendSignal(signal: NodeJS.Signals): void {
  try {
    process.kill(process.pid, signal);
  } catch {
    process.kill(process.pid, "SIGINT");
  }
}

function clamp(percent: number, max: number): number {
  return Math.max(0, Math.min(Math.round(percent), Math.min(100, max)));
}
