/**
 * Writes test/support/test-durations.json from vitest's results cache of the last full run, so
 * that a fresh clone (no cache) orders its suites by real durations rather than guesses
 * (test/support/emulators-apart.ts). Run after a full `npm test`: `npm run test:durations`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");
const CACHE = join(ROOT, "node_modules/.vite/vitest");
const OUT = join(ROOT, "test/support/test-durations.json");

interface Results {
  results: [string, { duration?: number }][];
}

const folders = readdirSync(CACHE, { withFileTypes: true }).filter((entry) => entry.isDirectory());
const durations: Record<string, number> = {};
for (const folder of folders) {
  const { results } = JSON.parse(readFileSync(join(CACHE, folder.name, "results.json"), "utf8")) as Results;
  for (const [key, result] of results) {
    if (result.duration !== undefined) durations[key] = Math.round(result.duration);
  }
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(OUT, `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`${Object.keys(sorted).length} suites' durations written to test/support/test-durations.json\n`);
