/**
 * `massager play` gives the step cue (a double pulse of the vibration motor at each step change)
 * by default and not with --no-step-cue: read from the simulator's trace of what it applied.
 * The cue drops the vibration to zero between its pulses; the routine's own levels never do.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMassager } from "../support/massager-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "massager-step-cue-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The step start times from --json, and the times the vibration stood at zero from --trace. */
async function play(extra: string[]): Promise<{ steps: number[]; zeros: number[] }> {
  const trace = join(dir, `trace${extra.join("")}.csv`);
  const result = await runMassager(
    ["play", "daily-hair-care", "--minutes", "6", "--fast", "--json", "--trace", trace, ...extra],
    60_000,
  );
  expect(result.code, result.stderr).toBe(0);
  const steps = result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { event: string; startMs?: number })
    .filter((event) => event.event === "step")
    .map((event) => event.startMs ?? Number.NaN);
  const zeros = readFileSync(trace, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((row) => row.split(",").map(Number))
    .filter(([, vibration]) => vibration === 0)
    .map(([tMs]) => tMs ?? Number.NaN);
  return { steps, zeros };
}

describe("massager play --no-step-cue", () => {
  it("pulses at each step change by default, and not with --no-step-cue", async () => {
    const cued = await play([]);
    const plain = await play(["--no-step-cue"]);
    expect(cued.steps.length).toBeGreaterThanOrEqual(3);
    expect(plain.steps).toEqual(cued.steps);
    const near = (zeros: number[], startMs: number) => zeros.filter((t) => t >= startMs && t < startMs + 3000);
    for (const startMs of cued.steps.slice(1)) {
      // drop, pulse, zero, pulse, zero: the vibration touches zero at least three times
      expect(new Set(near(cued.zeros, startMs).map((t) => Math.round(t / 100))).size).toBeGreaterThanOrEqual(3);
      expect(near(plain.zeros, startMs)).toEqual([]);
    }
  });
});
