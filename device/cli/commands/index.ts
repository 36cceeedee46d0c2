/** Every subcommand of `massager`, one module each. */
import type { Command } from "commander";
import { registerPatternsCommand } from "./patterns.ts";
import { registerRecommendCommand } from "./recommend.ts";
import { registerRoutinesCommand } from "./routines.ts";
import { registerScanCommand } from "./scan.ts";
import { registerServeCommand } from "./serve.ts";

export function registerCommands(program: Command): void {
  // Subcommands are registered here as they are built.
  registerPatternsCommand(program);
  registerRoutinesCommand(program);
  registerRecommendCommand(program);
  registerScanCommand(program);
  registerServeCommand(program);
}
