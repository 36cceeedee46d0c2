/**
 * A spawned helper process (btvirt, socat, a peripheral) with a hard timeout, its output kept
 * for error messages, and a stop() that kills it by PID and waits for it to be gone.
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves when it has exited, with its exit code or signal. */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** Killed (SIGKILL) after this long whatever happens, so nothing outlives a stuck test. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Also open an IPC channel (for node children started with process.execPath). */
  ipc?: boolean;
}

export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions): ManagedProcess {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`));
    child.once("error", (error) => resolve(`failed to start: ${error.message}`));
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${name}: could not start ${command} (is it installed?)`);
  }
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid,
    child,
    exited,
    output: () => log,
    stop(graceMs = 1000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        killPid(pid, "SIGTERM");
        const timer = setTimeout(() => killPid(pid, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
