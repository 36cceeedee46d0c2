/**
 * `massager play …` starts fast because it loads only the play command: not the web server,
 * the flasher, the app's stores or Bluetooth peripherals. Help and unknown names load them all.
 */
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { registerCommands } from "../../device/cli/commands/index.ts";
import { spawnManaged, stopAll } from "../support/managed-process.ts";
import { REPO_ROOT } from "../support/paths.ts";

const ALL = [
  "patterns",
  "routines",
  "recommend",
  "scan",
  "serve",
  "play",
  "simulate",
  "ports",
  "doctor",
  "start",
  "flash",
  "test-motors",
];

async function registered(args: string[]): Promise<string[]> {
  const program = new Command("massager");
  await registerCommands(program, args);
  return program.commands.map((command) => command.name());
}

/** Imports the CLI's registration for `args` under tsx and returns every module URL loaded on the way. */
async function modulesLoadedFor(args: string[]): Promise<string[]> {
  const script = `
    import { register } from "tsx/esm/api";
    const urls = [];
    register({ onImport: (url) => urls.push(url) });
    const { Command } = await import("commander");
    const { registerCommands } = await import("./device/cli/commands/index.ts");
    await registerCommands(new Command("massager"), ${JSON.stringify(args)});
    process.stdout.write(JSON.stringify(urls));
  `;
  const child = spawnManaged("module trace", process.execPath, ["--input-type=module", "-e", script], {
    timeoutMs: IMPORT_ALL_MS / 2,
    cwd: REPO_ROOT,
  });
  const status = await child.exited;
  expect(status, child.output()).toBe(0);
  return JSON.parse(child.stdout()) as string[];
}

afterAll(() => stopAll());

/** Importing every command cold (tsx transforming each file) takes seconds, and more on a loaded machine. */
const IMPORT_ALL_MS = 90_000;

describe("the command registry", () => {
  it(
    "registers only the command named on the line, and every command otherwise",
    async () => {
      expect(await registered(["play", "daily-hair-care", "--fast"])).toEqual(["play"]);
      expect(await registered(["--help"])).toEqual(ALL);
      expect(await registered(["help", "play"])).toEqual(ALL);
      expect(await registered(["plya"])).toEqual(ALL); // commander can then suggest "play"
    },
    IMPORT_ALL_MS,
  );

  it(
    "loads no server, flasher, app store or BLE peripheral code for play",
    async () => {
      const play = await modulesLoadedFor(["play", "daily-hair-care"]);
      const heavy = /\/device\/(serve|flash|app|ble-peripheral)\/|node_modules\/(ws|vite|electron)/;
      expect(play.some((url) => url.includes("/device/cli/commands/play.ts"))).toBe(true);
      expect(play.filter((url) => heavy.test(url))).toEqual([]);
      // The same check sees them when everything is registered, so it would catch them for play.
      const all = await modulesLoadedFor(["--help"]);
      expect(all.filter((url) => heavy.test(url)).length).toBeGreaterThan(0);
    },
    IMPORT_ALL_MS,
  );
});
