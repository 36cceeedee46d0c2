/** Runs `massager …` as a child process a test can signal; every child has a timeout and is killed by PID in teardown. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../../bin/massager.js", import.meta.url));
const children = new Set<ChildProcess>();

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) when the child ends. */
  exited: Promise<number | string>;
  /** Resolves once stdout has a line matching `pattern`. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** `entry`: what node runs instead of bin/massager.js, e.g. `["--import", "tsx", "launcher.ts"]`. */
export function startMassager(args: readonly string[], timeoutMs = 20_000, entry: readonly string[] = [BIN]): Running {
  const child = spawn(process.execPath, [...entry, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    out += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    err += text;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });
  const line = (pattern: RegExp, waitMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + waitMs;
      const poll = () => {
        const found = out.split("\n").find((l) => pattern.test(l));
        if (found !== undefined) return resolve(found);
        if (Date.now() > deadline || child.exitCode !== null) {
          return reject(
            new Error(`no line matching ${pattern} (stdout: ${out.slice(-400)} stderr: ${err.slice(-400)})`),
          );
        }
        setTimeout(poll, 20);
      };
      poll();
    });
  return { child, stdout: () => out, stderr: () => err, exited, line };
}

/** For afterEach: kills every child still running, by PID. */
export function killChildren(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {}
    }
  }
  children.clear();
}
