/**
 * Opens a URL in the system's browser (xdg-open, open, start), for `massager serve --open` and
 * `npm start` without Electron. A machine with no display, or no opener, gets a reason to print
 * instead: the URL is then for the person to open, on this machine or on a phone.
 */
import { type SpawnOptions, spawn } from "node:child_process";

export type OpenResult = { opened: true; command: string } | { opened: false; reason: string };

export interface OpenerDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  spawn: (command: string, args: string[], options: SpawnOptions) => ReturnType<typeof spawn>;
  /** How long an opener may take to fail before it counts as having opened the page. */
  settleMs: number;
}

const SYSTEM: OpenerDeps = { platform: process.platform, env: process.env, spawn, settleMs: 2000 };

/** The command that opens a URL on this platform, or why there is none. */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): { command: string; args: string[] } | { reason: string } {
  if (platform === "darwin") return { command: "open", args: [url] };
  if (platform === "win32") return { command: "cmd.exe", args: ["/d", "/s", "/c", "start", '""', url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { reason: "this machine has no display (no DISPLAY or WAYLAND_DISPLAY)" };
  return { command: "xdg-open", args: [url] };
}

/** Starts the system's opener on `url`; resolves with whether it (probably) opened. Never rejects. */
export function openInBrowser(url: string, deps: OpenerDeps = SYSTEM): Promise<OpenResult> {
  const choice = browserCommand(url, deps.platform, deps.env);
  if ("reason" in choice) return Promise.resolve({ opened: false, reason: choice.reason });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: OpenResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = deps.spawn(choice.command, choice.args, { stdio: "ignore", detached: true });
    child.on("error", (error: NodeJS.ErrnoException) =>
      settle({
        opened: false,
        reason: error.code === "ENOENT" ? `${choice.command} is not installed` : `${choice.command}: ${error.message}`,
      }),
    );
    child.on("exit", (code) =>
      settle(
        code === 0
          ? { opened: true, command: choice.command }
          : { opened: false, reason: `${choice.command} found no browser (exit ${code})` },
      ),
    );
    // Some openers wait for the browser to close: still running after a while means it opened.
    const timer = setTimeout(() => settle({ opened: true, command: choice.command }), deps.settleMs);
    child.unref();
  });
}

/** The line `serve --open` prints about it. */
export function describeOpen(result: OpenResult): string {
  return result.opened
    ? "Opened it in your browser.\n"
    : `No browser could be opened (${result.reason}): open the URL above yourself, here or on a phone.\n`;
}
