/**
 * Every subcommand of `massager`, one module each, loaded only when it is the one asked for:
 * `massager play …` loads play.ts and what it imports, not the web server, the flasher or
 * Bluetooth. Help, and anything that is not a known command name, loads them all, so commander
 * can list them and suggest the right one.
 */
import type { Command } from "commander";
import type { CliOptions } from "../cli-options.ts";

type Registrar = (program: Command, options: CliOptions) => void;

/** In the order `massager --help` lists them. A new subcommand is one more line here. */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Registrar>]> = [
  ["patterns", async () => (await import("./patterns.ts")).registerPatternsCommand],
  ["routines", async () => (await import("./routines.ts")).registerRoutinesCommand],
  ["recommend", async () => (await import("./recommend.ts")).registerRecommendCommand],
  ["scan", async () => (await import("./scan.ts")).registerScanCommand],
  ["serve", async () => (await import("./serve.ts")).registerServeCommand],
  ["play", async () => (await import("./play.ts")).registerPlayCommand],
  ["simulate", async () => (await import("./simulate.ts")).registerSimulateCommand],
  ["ports", async () => (await import("./ports.ts")).registerPortsCommand],
  ["doctor", async () => (await import("./doctor.ts")).registerDoctorCommand],
  ["start", async () => (await import("./start.ts")).registerStartCommand],
  ["flash", async () => (await import("./flash.ts")).registerFlashCommand],
  ["test-motors", async () => (await import("./test-motors.ts")).registerTestMotorsCommand],
];

/** Registers the subcommand `args` (the command line after `massager`) names, or every one. */
export async function registerCommands(
  program: Command,
  args: readonly string[],
  options: CliOptions = {},
): Promise<void> {
  const named = args.find((arg) => !arg.startsWith("-"));
  const only = COMMANDS.filter(([name]) => name === named);
  const registrars = await Promise.all((only.length > 0 ? only : COMMANDS).map(([, load]) => load()));
  for (const register of registrars) register(program, options);
}
