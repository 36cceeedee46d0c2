/**
 * The `massager` command. It owns the process: output, exit codes and signals. Everything
 * it calls is a library that prints nothing.
 *
 * bin/massager.js runs it from a bundle built once (bin/build-cli.js), or through tsx from the
 * sources (main.ts) when there is none; so it is a function, not top-level code: the bundle is
 * CommonJS, which has no top-level await.
 */
import { Command, CommanderError } from "commander";
import { isMassagerError } from "../../protocol/errors.ts";
import type { CliOptions } from "./cli-options.ts";
import { registerCommands } from "./commands/index.ts";
import { installCrashHandlers } from "./crash-guard.ts";
import { ExitCode, exitCodeFor } from "./exit-codes.ts";
import { installSignalHandlers } from "./signal-guard.ts";

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

/** Runs `massager` with `argv` (process.argv: node, the script, then the command line); sets process.exitCode. */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<void> {
  // A bug that escapes every try/catch ends with one line and exit 70, never a stack trace; `play`
  // and `serve` also stop the motors first (crash-guard.ts).
  installCrashHandlers();
  // Every signal that ends the command stops the motors first and prints one line (signal-guard.ts).
  installSignalHandlers();
  await runCommandLine(argv, options);
}

/**
 * The command line alone, without runCli's process-wide crash and signal handlers: what a test
 * runs in its own process (test/cli/patterns.test.ts) to spare a Node start per case.
 */
export async function runCommandLine(argv: readonly string[], options: CliOptions = {}): Promise<void> {
  const program = new Command("massager")
    .description("Control an electric scalp massager: patterns, routines, devices and the simulator.")
    .exitOverride()
    .showHelpAfterError();
  await registerCommands(program, argv.slice(2), options);

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    process.exitCode = report(error);
  }
}
