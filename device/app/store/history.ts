/**
 * The session history: one entry per session, kept in `history.json` in the data folder,
 * and the daily streak computed from it.
 */
import { join } from "node:path";
import { z } from "zod";
import { GoalSchema } from "../../../protocol/pattern.ts";
import { COUNTS_AFTER_MINUTES } from "../contract.ts";
import { readJsonOrSetAside, type SetAside, writeJsonAtomic } from "./atomic-file.ts";

const HistoryEntrySchema = z
  .object({
    /** When the session started, ISO 8601. */
    startedAt: z.string(),
    sourceId: z.string(),
    name: z.string(),
    goal: GoalSchema,
    plannedMinutes: z.number(),
    /** Minutes actually played. */
    minutes: z.number(),
    completed: z.boolean(),
    /** Why it ended: DONE, HOST (stopped), LIMIT, WDOG, DISCONNECT, ERROR, ... */
    endReason: z.string(),
  })
  .strict();

export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const HistoryFileSchema = z.object({ version: z.literal(1), sessions: z.array(HistoryEntrySchema) }).strict();

/** Keep the file small: the oldest entries beyond this are dropped. */
const MAX_ENTRIES = 2000;

export interface Streak {
  /** Consecutive days, ending today or yesterday, with at least one session. */
  days: number;
  /** Sessions today (the article suggests once or twice a day). */
  today: number;
}

export class HistoryStore {
  private readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  /** `onSetAside`: a broken history.json was renamed aside and a new history begins. */
  constructor(
    dataDir: string,
    private readonly onSetAside: (event: SetAside) => void = () => {},
  ) {
    this.path = join(dataDir, "history.json");
  }

  /** Newest first. */
  async list(): Promise<HistoryEntry[]> {
    const file = await readJsonOrSetAside(this.path, HistoryFileSchema, { version: 1, sessions: [] }, this.onSetAside);
    return [...file.sessions].reverse();
  }

  /** Resolves once every entry added so far has landed (or failed). */
  async flush(): Promise<void> {
    await this.queue;
  }

  /** Appends an entry; writes are serialised so two sessions ending together both land. */
  add(entry: HistoryEntry): Promise<void> {
    const write = this.queue.then(async () => {
      const file = await readJsonOrSetAside(
        this.path,
        HistoryFileSchema,
        { version: 1, sessions: [] },
        this.onSetAside,
      );
      const sessions = [...file.sessions, entry].slice(-MAX_ENTRIES);
      await writeJsonAtomic(this.path, { version: 1, sessions });
    });
    this.queue = write.catch(() => undefined);
    return write;
  }
}

function localDay(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/** A session counts toward the streak and the daily goal once it ran 5 minutes, or when it completed. */
function countsTowardGoal(entry: HistoryEntry): boolean {
  return entry.completed || entry.minutes >= COUNTS_AFTER_MINUTES;
}

/** The streak of days with a session that counts, counted back from `now` (today may still be open). */
export function computeStreak(all: readonly HistoryEntry[], now: Date): Streak {
  const entries = all.filter(countsTowardGoal);
  const days = new Set(entries.map((entry) => localDay(new Date(entry.startedAt))));
  const today = entries.filter((entry) => localDay(new Date(entry.startedAt)) === localDay(now)).length;
  const cursor = new Date(now);
  if (!days.has(localDay(cursor))) cursor.setDate(cursor.getDate() - 1);
  let count = 0;
  while (days.has(localDay(cursor))) {
    count++;
    cursor.setDate(cursor.getDate() - 1);
  }
  return { days: count, today };
}
