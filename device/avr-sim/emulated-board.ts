/**
 * An emulated Arduino Uno: the simavr harness (harness/avr-sim.c) as a child process.
 *
 *   serial client ──► board.ptyPath ──► UART0 of the simulated ATmega328P
 *   harness stdout ──► board.events (pin levels, PWM duties, resets; in simulation time)
 *   board.reset() / hang(address) / stop() ──► harness stdin
 *
 * Every harness is killed by PID on stop(), on a start timeout, and when this process exits.
 *
 * A paced board's clock runs with the wall clock only while this process runs: it ticks the
 * harness every TICK_MS, and the harness holds the simulation when the ticks stop (--host-paced).
 * On a loaded machine a host process not scheduled for a second is then not, to the firmware's
 * watchdog or a bootloader's timeout, a host silent for a second.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { createInterface } from "node:readline";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { buildHarness } from "./build-harness.ts";

/** How often this process tells a paced harness that it runs; the harness holds after 200 ms without. */
const TICK_MS = 50;

/** The motor pins the harness reports unless told otherwise (Arduino numbering). */
const DEFAULT_REPORTED_PINS: readonly number[] = [5, 6, 7, 8, 9, 10, 11, 3];

/** A pin's driven level changed (`pin`), or the effective PWM duty 0..255 of a PWM pin changed (`pwm`). */
export interface PinEvent {
  kind: "pin" | "pwm";
  pin: number;
  value: number;
  /** Simulation time since power-on, µs. */
  timeUs: number;
}

/** The MCU was reset: by the reset command or the pty being opened (`external`), or by its watchdog. */
export interface ResetEvent {
  kind: "reset";
  cause: "external" | "watchdog";
  timeUs: number;
}

/** The core stopped for good (simavr's crash or done state); the harness exits. */
export interface HaltEvent {
  kind: "halted";
  state: string;
  timeUs: number;
}

/** The firmware was made to hang: its program counter moved into the self-loop at flash byte `address`. */
export interface HangEvent {
  kind: "hang";
  address: number;
  timeUs: number;
}

export type BoardEvent = PinEvent | ResetEvent | HaltEvent | HangEvent;

/** How fast a pin was switched over a span of simulation time (see `EmulatedBoard.measure`). */
export interface PinWaveform {
  pin: number;
  /** Times the pin was switched on: PWM periods started by its timer, or rising edges of its port bit. */
  periods: number;
  /** The median time between two of those, ns (0 with fewer than two). */
  periodNs: number;
  /** The frequency that makes, Hz (0 with fewer than two). */
  hz: number;
  /** Simulation time at the end of the span, µs. */
  timeUs: number;
}

export interface EmulatedBoardOptions {
  /** ELF or Intel HEX to run. Optional when `bootloader` is given (the flash is then empty). */
  firmware?: string;
  /** An Intel HEX bootloader (e.g. Optiboot) loaded too; the MCU starts there (BOOTRST) after an external reset. */
  bootloader?: string;
  /** Run unpaced, as fast as the host allows, instead of in real time (paced: while this process runs). */
  fast?: boolean;
  /** Arduino pins to report; default {@link DEFAULT_REPORTED_PINS}. */
  pins?: readonly number[];
  /** Reset the MCU whenever a client opens the pty, as an Uno's DTR auto-reset does. Default false. */
  resetOnOpen?: boolean;
  /**
   * Garble the bytes both ways while the client's baud rate differs from the MCU's UART by more
   * than 5 %, as a real board's UART would (a pty otherwise carries bytes at any rate). Default false.
   */
  checkBaud?: boolean;
  /** How long the harness may take to print `ready`, ms; default 10000. */
  startTimeoutMs?: number;
  /** A harness binary to use instead of building the bundled one. */
  harnessPath?: string;
}

export interface EmulatedBoard {
  /** The pseudo-terminal to open as the board's serial port, e.g. `/dev/pts/5`. */
  readonly ptyPath: string;
  readonly pid: number;
  /** Every event so far, in order. */
  readonly events: readonly BoardEvent[];
  /** Emits `event` for each new event and `exit` when the harness ends. */
  readonly emitter: EventEmitter<{ event: [BoardEvent]; exit: [code: number | null] }>;
  /** The last reported level of a pin (0/1), or undefined when it is not reported. */
  level(pin: number): number | undefined;
  /** The last reported effective PWM duty (0..255) of a PWM pin, or undefined. */
  duty(pin: number): number | undefined;
  /**
   * Resolves with the first event at index `since` or later that matches; rejects with a
   * Timeout error after `timeoutMs`. Pass `board.events.length` as `since` to wait only for new events.
   */
  waitFor(predicate: (event: BoardEvent) => boolean, timeoutMs?: number, since?: number): Promise<BoardEvent>;
  /** The simulation time now, µs (as the harness answers at its next time slice, within 0.5 ms). */
  simTimeUs(timeoutMs?: number): Promise<number>;
  /** An external reset of the MCU (the RESET pin). */
  reset(): void;
  /**
   * Makes the firmware hang, as a stuck main loop would: the harness moves the program counter
   * into the self-loop (`rjmp .-2`) at flash byte `address`, which must already be in the firmware
   * (see `findSelfLoop`). Interrupts, the stack and the peripherals are left as they are; only
   * the chip's watchdog can end the hang. Resolves with the event (its simulation time); rejects
   * when the harness refuses the address.
   */
  hang(address: number, timeoutMs?: number): Promise<HangEvent>;
  /**
   * Watches a pin for `ms` of simulation time and reports how fast the chip switched it: the PWM
   * periods its timer started (or its port bit's rising edges) and their mean period, so a PWM
   * pin's frequency can be checked, not just its duty. One measurement at a time.
   */
  measure(pin: number, ms: number, timeoutMs?: number): Promise<PinWaveform>;
  /** Stops the harness and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A harness must never outlive the process that started it (a crashed test run included). */
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) if (child.pid !== undefined) safeKill(child.pid);
  });
}

function safeKill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

type HarnessLine =
  | BoardEvent
  | { kind: "time"; timeUs: number }
  | { kind: "refused"; detail: string; timeUs: number }
  | ({ kind: "measured" } & PinWaveform);

function parseLine(line: string): HarnessLine | undefined {
  const parts = line.split(" ");
  const timeUs = Number(parts[0]);
  if (!Number.isFinite(timeUs)) return undefined;
  const kind = parts[1];
  if ((kind === "pin" || kind === "pwm") && parts.length === 4) {
    return { kind, pin: Number(parts[2]), value: Number(parts[3]), timeUs };
  }
  if (kind === "reset" && (parts[2] === "external" || parts[2] === "watchdog")) {
    return { kind, cause: parts[2], timeUs };
  }
  if (kind === "halted") return { kind, state: parts[2] ?? "unknown", timeUs };
  if (kind === "time") return { kind, timeUs };
  if (kind === "measured" && parts.length === 5) {
    const periodNs = Number(parts[4]);
    return {
      kind,
      pin: Number(parts[2]),
      periods: Number(parts[3]),
      periodNs,
      hz: periodNs > 0 ? 1e9 / periodNs : 0,
      timeUs,
    };
  }
  if (kind === "hang" && parts.length === 3) return { kind, address: Number(parts[2]), timeUs };
  // "<t> refused hang <why>": the only command the harness can refuse.
  if (kind === "refused") return { kind, detail: parts.slice(3).join(" "), timeUs };
  return undefined;
}

/** Builds the harness if needed, starts it and resolves once the firmware runs and the pty exists. */
export async function startEmulatedBoard(options: EmulatedBoardOptions): Promise<EmulatedBoard> {
  const binary = options.harnessPath ?? (await buildHarness());
  const args: string[] = [];
  if (options.fast) args.push("--fast");
  if (options.resetOnOpen) args.push("--reset-on-open");
  if (options.checkBaud) args.push("--check-baud");
  if (!options.fast) args.push("--host-paced");
  args.push("--pins", (options.pins ?? DEFAULT_REPORTED_PINS).join(","));
  if (options.bootloader) args.push("--bootloader", options.bootloader);
  if (options.firmware) args.push(options.firmware);
  if (!options.firmware && !options.bootloader) {
    throw new MassagerError(ErrorCode.EmulatorFailed, "the emulated board needs a firmware or a bootloader to run");
  }

  const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"] });
  const pid = child.pid;
  if (pid === undefined) {
    throw new MassagerError(ErrorCode.EmulatorFailed, `could not start the simavr harness ${binary}`);
  }
  live.add(child);
  killAllOnExit();

  const events: BoardEvent[] = [];
  const levels = new Map<number, number>();
  const duties = new Map<number, number>();
  const emitter = new EventEmitter<{ event: [BoardEvent]; exit: [code: number | null] }>();
  const timeWaiters: Array<(timeUs: number) => void> = [];
  const hangWaiters: Array<(outcome: HangEvent | string) => void> = [];
  const measureWaiters: Array<(waveform: PinWaveform) => void> = [];
  let stderr = "";
  let ptyPath: string | undefined;
  let exitCode: number | null | undefined;

  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code) => {
      exitCode = code;
      live.delete(child);
      emitter.emit("exit", code);
      resolve();
    });
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  // A harness whose parent stopped reading must not block; writes after exit are ignored.
  child.stdin?.on("error", () => {});
  if (!options.fast) {
    const ticker = setInterval(() => child.stdin?.write("tick\n"), TICK_MS);
    ticker.unref();
    child.once("exit", () => clearInterval(ticker));
  }

  const ready = new Promise<void>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    const timer = setTimeout(() => {
      safeKill(pid);
      reject(
        new MassagerError(ErrorCode.EmulatorFailed, `the simavr harness did not start within ${timeoutMs} ms`, {
          hint: "check that the firmware file is an ATmega328P ELF or HEX",
        }),
      );
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const detail = stderr.trim().split("\n")[0] ?? "";
      reject(
        new MassagerError(
          ErrorCode.EmulatorFailed,
          `the simavr harness exited (code ${code}) before it was ready${detail ? `: ${detail}` : ""}`,
        ),
      );
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (line.startsWith("pty: ")) {
        ptyPath = line.slice(5).trim();
        return;
      }
      if (line === "ready") {
        clearTimeout(timer);
        resolve();
        return;
      }
      const parsed = parseLine(line);
      if (!parsed) return;
      if (parsed.kind === "time") {
        timeWaiters.shift()?.(parsed.timeUs);
        return;
      }
      if (parsed.kind === "measured") {
        const { kind: _, ...waveform } = parsed;
        measureWaiters.shift()?.(waveform);
        return;
      }
      if (parsed.kind === "refused") {
        hangWaiters.shift()?.(parsed.detail);
        return;
      }
      if (parsed.kind === "hang") hangWaiters.shift()?.(parsed);
      if (parsed.kind === "pin") levels.set(parsed.pin, parsed.value);
      if (parsed.kind === "pwm") duties.set(parsed.pin, parsed.value);
      events.push(parsed);
      emitter.emit("event", parsed);
    });
  });

  try {
    await ready;
  } catch (error) {
    safeKill(pid);
    throw error;
  }
  if (ptyPath === undefined) {
    safeKill(pid);
    throw new MassagerError(ErrorCode.EmulatorFailed, "the simavr harness did not report its pty");
  }
  const path = ptyPath;

  const send = (command: string): void => {
    if (exitCode === undefined) child.stdin?.write(`${command}\n`);
  };

  return {
    ptyPath: path,
    pid,
    events,
    emitter,
    level: (pin) => levels.get(pin),
    duty: (pin) => duties.get(pin),
    waitFor(predicate, timeoutMs = 5_000, since = 0) {
      for (let i = since; i < events.length; i++) {
        const event = events[i];
        if (event && predicate(event)) return Promise.resolve(event);
      }
      return new Promise((resolve, reject) => {
        const onEvent = (event: BoardEvent): void => {
          if (!predicate(event)) return;
          cleanup();
          resolve(event);
        };
        const onExit = (): void => {
          cleanup();
          reject(new MassagerError(ErrorCode.EmulatorFailed, "the emulated board exited while a test waited on it"));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new MassagerError(ErrorCode.Timeout, `no matching emulated-board event within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          emitter.off("event", onEvent);
          emitter.off("exit", onExit);
        };
        emitter.on("event", onEvent);
        emitter.once("exit", onExit);
      });
    },
    simTimeUs(timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = timeWaiters.indexOf(answer);
          if (index >= 0) timeWaiters.splice(index, 1);
          reject(
            new MassagerError(ErrorCode.Timeout, `the emulated board did not tell its time within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const answer = (timeUs: number): void => {
          clearTimeout(timer);
          resolve(timeUs);
        };
        timeWaiters.push(answer);
        send("time");
      });
    },
    reset: () => send("reset"),
    hang(address, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = hangWaiters.indexOf(answer);
          if (index >= 0) hangWaiters.splice(index, 1);
          reject(new MassagerError(ErrorCode.Timeout, `the emulated board did not answer hang within ${timeoutMs} ms`));
        }, timeoutMs);
        const answer = (outcome: HangEvent | string): void => {
          clearTimeout(timer);
          if (typeof outcome !== "string") resolve(outcome);
          else {
            const where = `0x${address.toString(16)}`;
            reject(
              new MassagerError(ErrorCode.EmulatorFailed, `the emulated board refused to hang at ${where}: ${outcome}`),
            );
          }
        };
        hangWaiters.push(answer);
        send(`hang 0x${address.toString(16)}`);
      });
    },
    measure(pin, ms, timeoutMs = 10_000 + ms * 20) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = measureWaiters.indexOf(answer);
          if (index >= 0) measureWaiters.splice(index, 1);
          reject(
            new MassagerError(ErrorCode.Timeout, `the emulated board did not measure D${pin} within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const answer = (waveform: PinWaveform): void => {
          clearTimeout(timer);
          resolve(waveform);
        };
        measureWaiters.push(answer);
        send(`measure ${pin} ${ms}`);
      });
    },
    async stop() {
      if (exitCode !== undefined) return;
      send("quit");
      const killer = setTimeout(() => safeKill(pid), 2_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
