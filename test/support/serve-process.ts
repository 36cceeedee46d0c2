/**
 * `massager serve` as a child process for a test or a benchmark: waits for the URL it prints,
 * and stops it by PID as a person would (Ctrl-C, then SIGKILL if it hangs).
 */
import type { ExitStatus, ManagedProcess } from "./managed-process.ts";
import { startMassager } from "./massager-cli.ts";

export interface ServeProcess {
  readonly process: ManagedProcess;
  /** The full URL with its token. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** What it printed so far, for failure messages. */
  output(): string;
  /** SIGINT, then SIGKILL after 5 s; resolves with its exit status. */
  stop(): Promise<ExitStatus>;
}

const URL_LINE = /Massager app: (http:\/\/\S+)/;

/** Starts `massager serve --port 0 …args` and resolves once it has printed its URL (within `timeoutMs`). */
export async function startServe(args: readonly string[], timeoutMs = 60_000): Promise<ServeProcess> {
  // A hard cap on its life, should the teardown never run.
  const serve = startMassager(["serve", "--port", "0", ...args], 600_000);
  let line: string;
  try {
    line = await serve.line(URL_LINE, timeoutMs);
  } catch (error) {
    await serve.stop(0, "SIGKILL");
    throw error;
  }
  const url = URL_LINE.exec(line)?.[1] ?? "";
  const parsed = new URL(url);
  return {
    process: serve,
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get("token") ?? "",
    output: () => serve.output(),
    stop: () => serve.stop(5000, "SIGINT"),
  };
}
