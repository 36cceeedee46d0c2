/** Every subcommand of `massager`, one module each. */
import type { Command } from "commander";
import { registerDoctorCommand } from "./doctor.ts";
import { registerFlashCommand } from "./flash.ts";
import { registerPatternsCommand } from "./patterns.ts";
import { registerPlayCommand } from "./play.ts";
import { registerPortsCommand } from "./ports.ts";
import { registerRecommendCommand } from "./recommend.ts";
import { registerRoutinesCommand } from "./routines.ts";
import { registerScanCommand } from "./scan.ts";
import { registerServeCommand } from "./serve.ts";
import { registerSimulateCommand } from "./simulate.ts";
import { registerStartCommand } from "./start.ts";

export function registerCommands(program: Command): void {
  // Subcommands are registered here as they are built.
  registerPatternsCommand(program);
  registerRoutinesCommand(program);
  registerRecommendCommand(program);
  registerScanCommand(program);
  registerServeCommand(program);
  registerPlayCommand(program);
  registerSimulateCommand(program);
  registerPortsCommand(program);
  registerDoctorCommand(program);
  registerStartCommand(program);
  registerFlashCommand(program);
}
