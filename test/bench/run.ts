/**
 * `npm run bench`: runs every test/bench/*.bench.ts module (or those whose file name contains
 * an argument) and prints the numbers each reports. A module's default export is an async
 * function returning its results.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchResult {
  /** What was measured, e.g. "emergency stop latency, p99". */
  name: string;
  value: number;
  unit: string;
  /** The aim from the issue, for context, e.g. "< 5". */
  aim?: string;
  note?: string;
}

/** A module may also print its own lines and return nothing. */
export type BenchModule = { default?: () => Promise<unknown> };

const here = fileURLToPath(new URL(".", import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();

let failed = false;
for (const file of files) {
  process.stdout.write(`\n${file}\n`);
  try {
    const module = (await import(pathToFileURL(`${here}${file}`).href)) as BenchModule;
    const results = typeof module.default === "function" ? await module.default() : undefined;
    for (const result of Array.isArray(results) ? (results as BenchResult[]) : []) {
      const value = Number.isInteger(result.value)
        ? String(result.value)
        : result.value.toFixed(result.value < 10 ? 3 : 1);
      const aim = result.aim ? `  (aim ${result.aim})` : "";
      const note = result.note ? `  ${result.note}` : "";
      process.stdout.write(`  ${result.name.padEnd(58)} ${value.padStart(10)} ${result.unit}${aim}${note}\n`);
    }
  } catch (error) {
    failed = true;
    process.stdout.write(`  FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
if (files.length === 0) process.stdout.write(`no *.bench.ts matched ${filters.join(" ")}\n`);
process.exit(failed ? 1 : 0);
