/**
 * The last intensity the person used for each routine or pattern, kept in `intensities.json`
 * in the data folder, so the set-up offers it again next time.
 */
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonAtomic } from "./store/atomic-file.ts";

const IntensitiesSchema = z.record(z.string().max(80), z.number().int().min(1).max(100));

/** Keep the file small: only this many routines are remembered (the most recent). */
const MAX_ENTRIES = 200;

export class IntensityMemory {
  private readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, "intensities.json");
  }

  async all(): Promise<Record<string, number>> {
    return readJsonFile(this.path, IntensitiesSchema, {});
  }

  /** Resolves once every write asked for so far has landed (or failed). */
  async flush(): Promise<void> {
    await this.queue;
  }

  /** Records `percent` for `sourceId`; writes are serialised so quick changes land in order. */
  remember(sourceId: string, percent: number): Promise<void> {
    const write = this.queue.then(async () => {
      const current = await this.all().catch(() => ({}) as Record<string, number>);
      if (current[sourceId] === percent) return;
      const { [sourceId]: _previous, ...others } = current;
      const entries = [...Object.entries(others), [sourceId, percent] as const].slice(-MAX_ENTRIES);
      await writeJsonAtomic(this.path, Object.fromEntries(entries));
    });
    this.queue = write.catch(() => undefined);
    return write;
  }
}
