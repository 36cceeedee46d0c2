/** Runs one build tool with a timeout and turns its failure into a FirmwareBuildFailed error. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

const run = promisify(execFile);

/** What to install when a tool is missing, by command name. */
const INSTALL: Record<string, string> = {
  "avr-gcc": "apt-get install -y gcc-avr avr-libc arduino-core-avr",
  "avr-g++": "apt-get install -y gcc-avr avr-libc arduino-core-avr",
  "avr-gcc-ar": "apt-get install -y gcc-avr",
  "avr-objcopy": "apt-get install -y binutils-avr",
  "avr-size": "apt-get install -y binutils-avr",
  "g++": "apt-get install -y g++",
  "clang++": "apt-get install -y clang libclang-rt-14-dev",
};

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export async function runTool(command: string, args: readonly string[], timeoutMs = 120_000): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stderr?: string; killed?: boolean };
    if (failure.code === "ENOENT") {
      throw new MassagerError(ErrorCode.FirmwareBuildFailed, `${command} is not installed`, {
        hint: INSTALL[command] ?? `install ${command}`,
        cause: error,
      });
    }
    if (failure.killed) {
      throw new MassagerError(ErrorCode.FirmwareBuildFailed, `${command} took longer than ${timeoutMs} ms`, {
        cause: error,
      });
    }
    const detail = (failure.stderr ?? String(error)).trim().split("\n").slice(0, 8).join("\n");
    throw new MassagerError(ErrorCode.FirmwareBuildFailed, `${command} failed:\n${detail}`, { cause: error });
  }
}

/** Runs tasks with at most `limit` at a time (the build machines have two cores). */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
