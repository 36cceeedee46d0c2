/**
 * A child process a test or a benchmark starts: a hard timeout so nothing outlives a stuck test,
 * its output kept for assertions and failure messages, waiting for a line, and a stop() that
 * kills it by PID and waits until it is gone. stopAll() is the teardown for every suite.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** How a process ended: its exit code, or the name of the signal that killed it. */
export type ExitStatus = number | NodeJS.Signals;

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** The last 20 000 characters of stdout and stderr as they came, for failure messages. */
  output(): string;
  /** Resolves once it has exited and its output is read to the end. */
  readonly exited: Promise<ExitStatus>;
  /** True once its hard timeout has killed it. */
  timedOut(): boolean;
  /** Resolves with the first stdout line matching `pattern`; rejects after `timeoutMs` or when it exits without one. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves once it has exited. Safe to call twice. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<ExitStatus>;
}

export interface ManagedOptions {
  /** Killed (SIGKILL) after this long whatever happens. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also open an IPC channel (for node children started with process.execPath). */
  ipc?: boolean;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string | Buffer;
  /** How stdout is decoded (stderr is always UTF-8). */
  stdoutEncoding?: BufferEncoding;
  /** In a process group of its own, so `process.kill(-pid, signal)` reaches it and its children, as a terminal's Ctrl-C does. */
  detached?: boolean;
}

const running = new Set<ManagedProcess>();

/** Starts `command args` under a hard timeout; throws at once when it cannot be started. */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: ManagedOptions,
): ManagedProcess {
  const stdin = options.input === undefined ? "ignore" : "pipe";
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: options.ipc ? [stdin, "pipe", "pipe", "ipc"] : [stdin, "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let startError: Error | undefined;
  child.once("error", (error) => {
    startError = error;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${command} (is it installed?)`);

  let out = "";
  let err = "";
  let log = "";
  const keep = (text: string) => {
    log = (log + text).slice(-20_000);
  };
  child.stdout?.setEncoding(options.stdoutEncoding ?? "utf8").on("data", (text: string) => {
    out += text;
    keep(text);
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    err += text;
    keep(text);
  });
  if (options.input !== undefined) child.stdin?.end(options.input);

  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    killPid(pid, "SIGKILL");
  }, options.timeoutMs);
  killer.unref();

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(killer);
      const status = signal ?? code ?? -1;
      // Output is complete at "close"; a grandchild holding the pipes open must not hold us too.
      const late = setTimeout(() => resolve(status), 2000);
      child.once("close", () => {
        clearTimeout(late);
        resolve(status);
      });
    });
  });

  let stopping: Promise<ExitStatus> | undefined;
  const managed: ManagedProcess = {
    name,
    pid,
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    output: () => (startError ? `failed to start: ${startError.message}\n${log}` : log),
    timedOut: () => timedOut,
    line: (pattern, timeoutMs = 10_000) => firstLine(managed, pattern, timeoutMs),
    stop(graceMs = 1000, signal = "SIGTERM") {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          killPid(pid, signal);
          const timer = setTimeout(() => killPid(pid, "SIGKILL"), graceMs);
          const status = await exited;
          clearTimeout(timer);
          return status;
        }
        return exited;
      })();
      return stopping;
    },
  };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

function firstLine(managed: ManagedProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const find = () =>
      managed
        .stdout()
        .split("\n")
        .find((line) => pattern.test(line));
    const found = find();
    if (found !== undefined) return resolve(found);
    const done = (error?: Error, line?: string) => {
      clearTimeout(timer);
      managed.child.stdout?.off("data", onData);
      if (error) reject(error);
      else resolve(line ?? "");
    };
    const failure = (why: string) =>
      new Error(`${managed.name}: no line matching ${pattern} ${why}; it said: ${managed.output().slice(-800)}`);
    const onData = () => {
      const line = find();
      if (line !== undefined) done(undefined, line);
    };
    const timer = setTimeout(() => done(failure(`within ${timeoutMs} ms`)), timeoutMs);
    managed.child.stdout?.on("data", onData);
    void managed.exited.then((status) => {
      const line = find();
      if (line !== undefined) done(undefined, line);
      else done(failure(`before it exited (${status})`));
    });
  });
}

/** Sends `signal` to `pid`; a process that is already gone is fine. */
export function killPid(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Teardown: kills every managed process still running, by PID, and waits for each to be gone.
 * In afterEach only where the suite starts nothing in beforeAll (it would kill that too).
 */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((managed) => managed.stop(0, "SIGKILL")));
}
