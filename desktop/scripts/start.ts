/**
 * `npm start`: builds the desktop app and opens it on the simulated massager. Where the
 * Electron binary is missing (no network at install, or the download was skipped) it tries to
 * fetch it once; if that fails it says so and how to get the window, then runs the same app
 * through `massager serve` on the simulator and opens it in the system's browser (or prints
 * its URL on a machine with no display). Ctrl-C stops the motors, then the server.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDesktopApp } from "./build.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const electronDir = join(root, "node_modules/electron");
/** A download that takes longer than this is given up (a slow link: the user can run it by hand). */
const DOWNLOAD_TIMEOUT_MS = 300_000;

/** The Electron executable, if it is installed. */
export function electronBinary(dir = electronDir): string | undefined {
  const pathFile = join(dir, "path.txt");
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, "dist", readFileSync(pathFile, "utf8").trim());
  return existsSync(binary) ? binary : undefined;
}

function tryDownload(): boolean {
  if (!existsSync(join(electronDir, "install.js"))) return false;
  process.stdout.write("The Electron binary is not installed yet; downloading it once…\n");
  const result = spawnSync(process.execPath, [join(electronDir, "install.js")], {
    stdio: ["ignore", "ignore", "pipe"],
    timeout: DOWNLOAD_TIMEOUT_MS,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: "" },
  });
  return result.status === 0 && electronBinary() !== undefined;
}

export const MISSING_ELECTRON_MESSAGE = `The Electron binary is missing, so the desktop window cannot open.
  Why: its download failed at npm install (no network to Electron's releases) or was skipped
  with ELECTRON_SKIP_BINARY_DOWNLOAD.
  Fix: node node_modules/electron/install.js    (then npm start again)
  Meanwhile the same app runs in your browser, through: npx massager serve
`;

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: root });
    // Ctrl-C reaches the child from the terminal (same process group): wait for it to stop its
    // motors and exit. SIGTERM and SIGHUP are sent to this process alone: pass them on.
    const ignore = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", ignore);
    process.on("SIGTERM", forward);
    process.on("SIGHUP", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
      resolveExit(code ?? (signal ? 130 : 1));
    });
  });
}

export interface LaunchSteps {
  build(): Promise<string>;
  findElectron(): string | undefined;
  /** Tries to fetch the binary; true when it is there afterwards. */
  download(): boolean;
  run(command: string, args: string[]): Promise<number>;
  say(text: string): void;
  warn(text: string): void;
}

/** What runs the app in a browser: the same UI and API as the window, on the simulated massager. */
const SERVE_ARGS = ["serve", "--device", "sim", "--open"] as const;

/**
 * Builds, then opens the window, or explains and serves the app to a browser (with `serveOptions`
 * from `npm start -- …`, such as `--port 0`); resolves with the exit code.
 */
export async function launch(steps: LaunchSteps, serveOptions: readonly string[] = []): Promise<number> {
  steps.say("Building the desktop app…\n");
  const mainFile = await steps.build();
  const binary = steps.findElectron() ?? (steps.download() ? steps.findElectron() : undefined);
  if (binary) return steps.run(binary, [mainFile, "--device=sim"]);
  steps.warn(`\n${MISSING_ELECTRON_MESSAGE}\n`);
  steps.say("Opening the app in your browser instead, on the simulated massager:\n\n");
  return steps.run(process.execPath, [join(root, "bin/massager.js"), ...SERVE_ARGS, ...serveOptions]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await launch(
    {
      build: buildDesktopApp,
      findElectron: () => electronBinary(),
      download: tryDownload,
      run,
      say: (text) => process.stdout.write(text),
      warn: (text) => process.stderr.write(text),
    },
    process.argv.slice(2),
  );
}
