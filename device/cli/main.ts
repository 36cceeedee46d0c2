/**
 * The `massager` command. It owns the process: output, exit codes and signals. Everything
 * it calls is a library that prints nothing.
 */
import { Command, CommanderError } from "commander";
import { isMassagerError } from "../../protocol/errors.ts";
import { registerCommands } from "./commands/index.ts";
import { installCrashHandlers } from "./crash-guard.ts";
import { ExitCode, exitCodeFor } from "./exit-codes.ts";

// A bug that escapes every try/catch ends with one line and exit 70, never a stack trace; `play`
// and `serve` also stop the motors first (crash-guard.ts).
installCrashHandlers();

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  if (isMassagerError(error)) {
    process.stderr.write(`massager: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  fix: ${error.hint}\n`);
  } else {
    const text = error instanceof Error ? error.message : String(error);
    process.stderr.write(`massager: unexpected error: ${text}\n`);
    if (process.env.MASSAGER_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write("  This is a bug; run again with MASSAGER_DEBUG=1 and report what it prints.\n");
  }
  return exitCodeFor(error);
}

const program = new Command("massager")
  .description("Control an electric scalp massager: patterns, routines, devices and the simulator.")
  .exitOverride()
  .showHelpAfterError();
await registerCommands(program, process.argv.slice(2));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}
