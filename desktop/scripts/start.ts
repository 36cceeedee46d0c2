/**
 * `npm start`: builds the desktop app and opens it on the simulated massager. Where the
 * Electron binary is missing (npm skipped its download, or there is no network) it tries to
 * fetch it once, and if that fails says so, how to fix it and how to use `massager serve`
 * instead, then still plays the recommended routine on the simulator in the terminal.
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
  Why: npm did not run electron's install script (npm 11 runs only approved ones; this project
  approves electron in package.json "allowScripts"), it was skipped with ELECTRON_SKIP_BINARY_DOWNLOAD,
  or the download failed (no network).
  Fix: node node_modules/electron/install.js    (or: npm install-scripts approve electron && npm rebuild electron)
  Meanwhile, the same app runs in your browser:  npx massager serve
`;

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: root });
    // Ctrl-C reaches the child too (same process group); wait for it to stop its motors and exit.
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    process.on("SIGTERM", ignore);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", ignore);
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

/** Builds, then opens the window, or explains and plays in the terminal; resolves with the exit code. */
export async function launch(steps: LaunchSteps): Promise<number> {
  steps.say("Building the desktop app…\n");
  const mainFile = await steps.build();
  const binary = steps.findElectron() ?? (steps.download() ? steps.findElectron() : undefined);
  if (binary) return steps.run(binary, [mainFile, "--device=sim"]);
  steps.warn(`\n${MISSING_ELECTRON_MESSAGE}\n`);
  steps.say("Playing the recommended routine on the simulated massager in this terminal instead:\n\n");
  return steps.run(process.execPath, [join(root, "bin/massager.js"), "start"]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await launch({
    build: buildDesktopApp,
    findElectron: () => electronBinary(),
    download: tryDownload,
    run,
    say: (text) => process.stdout.write(text),
    warn: (text) => process.stderr.write(text),
  });
}
