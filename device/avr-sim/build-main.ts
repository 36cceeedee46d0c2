/** `npm run avr-sim:build`: builds the simavr harness and prints where it is. */
import { isMassagerError } from "../../protocol/errors.ts";
import { buildHarness } from "./build-harness.ts";

try {
  const path = await buildHarness({ force: process.argv.includes("--force") });
  process.stdout.write(`avr-sim: ${path}\n`);
} catch (error) {
  process.stderr.write(`avr-sim:build: ${error instanceof Error ? error.message : String(error)}\n`);
  if (isMassagerError(error) && error.hint) process.stderr.write(`  fix: ${error.hint}\n`);
  process.exitCode = 1;
}
