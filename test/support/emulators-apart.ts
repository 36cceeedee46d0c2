/**
 * The order vitest hands test files to its two workers, so that the emulator suites (one at a
 * time, test/support/emulator-lock.ts) run beside unit suites instead of queueing behind each
 * other: a dry run of the two workers, by each file's last duration, gives the next emulator
 * suite to whichever worker frees up once the one before is about done, and unit suites otherwise.
 * A fresh clone has no recorded durations: it uses test-durations.json, written from a full run
 * (`npm run test:durations`), so that CI's first run is ordered as well as a developer's.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Durations from a full run, ms, by `project:path` (test/support/record-durations.ts). */
const KNOWN_MS: Record<string, number> = JSON.parse(
  readFileSync(join(import.meta.dirname, "test-durations.json"), "utf8"),
);
/** Guesses for a file that is in neither (a new suite), ms. */
const UNKNOWN_MS = { emulators: 15_000, other: 2_000 };
const WORKERS = 2;

export class EmulatorsApart extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isEmulator = (spec: TestSpecification) => spec.project.name === "emulators";
    const emulators = sorted.filter(isEmulator);
    const others = sorted.filter((spec) => !isEmulator(spec));
    if (emulators.length === 0 || others.length === 0) return sorted;

    const durationOf = (spec: TestSpecification): number => {
      const key = `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`;
      const recorded = this.ctx.cache.getFileTestResults(key)?.duration;
      return recorded ?? KNOWN_MS[key] ?? (isEmulator(spec) ? UNKNOWN_MS.emulators : UNKNOWN_MS.other);
    };
    const order: TestSpecification[] = [];
    const freeAt = Array.from({ length: WORKERS }, () => 0);
    let lockFreeAt = 0;
    while (emulators.length > 0 || others.length > 0) {
      const worker = freeAt.indexOf(Math.min(...freeAt));
      const now = freeAt[worker] ?? 0;
      const takeEmulator = emulators.length > 0 && (lockFreeAt <= now || others.length === 0);
      const spec = (takeEmulator ? emulators : others).shift() as TestSpecification;
      const startsAt = takeEmulator ? Math.max(now, lockFreeAt) : now;
      freeAt[worker] = startsAt + durationOf(spec);
      if (takeEmulator) lockFreeAt = freeAt[worker] ?? 0;
      order.push(spec);
    }
    return order;
  }
}
