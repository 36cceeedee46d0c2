/**
 * Runs the `massager` command from the TypeScript sources (through tsx): what bin/massager.js
 * falls back to when it has no built bundle, and what test launchers import. The command is cli.ts.
 */
import { runCli } from "./cli.ts";

await runCli(process.argv);
