/** Every subcommand of `massager`, one module each. */
import type { Command } from "commander";

export function registerCommands(_program: Command): void {
  // Subcommands are registered here as they are built.
}
