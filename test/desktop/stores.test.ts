/**
 * The app's files: atomic writes that survive a crash mid-write, settings, history with its
 * daily streak, and the person's own patterns.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../device/app/contract.ts";
import { readJsonFile, writeFileAtomic } from "../../device/app/store/atomic-file.ts";
import { CustomPatternStore } from "../../device/app/store/custom-patterns.ts";
import { computeStreak, type HistoryEntry, HistoryStore } from "../../device/app/store/history.ts";
import { SettingsStore } from "../../device/app/store/settings.ts";
import { getPattern } from "../../patterns/index.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { PatternSchema } from "../../protocol/pattern.ts";
import { spawnManaged } from "../support/managed-process.ts";
import { sleep } from "../support/wait.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "massager-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts the writer child, lets it write for `ms`, then kills it with SIGKILL (no chance to clean up). */
async function crashWriterAfter(path: string, ms: number): Promise<void> {
  const writer = spawnManaged(
    "atomic writer",
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "atomic-writer-child.ts"), path],
    { timeoutMs: 30_000 },
  );
  try {
    await writer.line(/ready/, 30_000);
    await sleep(ms);
  } finally {
    await writer.stop(0, "SIGKILL");
  }
}

describe("atomic writes", () => {
  it("leave the old or the new file whole when the writer is killed mid-write", async () => {
    const path = join(dir, "history.json");
    // Kill at different moments: each time the file must parse and be one of the two versions, whole.
    // A kill counts only when it provably landed inside a save: the writer left its temporary file
    // behind (made, not yet renamed; SIGKILL gives it no chance to remove it). Up to 12 kills to get 4 such.
    let midWrite = 0;
    for (const ms of [5, 37, 80, 121, 13, 59, 97, 150, 23, 71, 111, 160]) {
      await crashWriterAfter(path, ms);
      const text = await readFile(path, "utf8");
      const value = JSON.parse(text) as { version: string; filler: string };
      expect(["a", "b"]).toContain(value.version);
      expect(value.filler).toBe(value.version.repeat(2_000_000));
      const temps = (await readdir(dir)).filter((name) => name !== "history.json");
      expect(temps.length).toBeLessThanOrEqual(1); // one save at a time
      for (const temp of temps) {
        expect(temp).toMatch(/^\.history\.json\.[0-9a-f]{12}\.tmp$/);
        await rm(join(dir, temp));
        midWrite++;
      }
      if (midWrite === 4) break;
    }
    expect(midWrite).toBe(4);
  }, 120_000);

  it("replaces the file and leaves no temporary files behind", async () => {
    const path = join(dir, "settings.json");
    await writeFileAtomic(path, "one");
    await writeFileAtomic(path, "two");
    expect(await readFile(path, "utf8")).toBe("two");
    expect(await readdir(dir)).toEqual(["settings.json"]);
  });

  it("names the file and the fix when its content is broken", async () => {
    const path = join(dir, "settings.json");
    await writeFile(path, "{ not json");
    const error = await readJsonFile(path, PatternSchema, undefined).catch((e: unknown) => e);
    expect(isMassagerError(error, ErrorCode.FileUnreadable)).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as { hint?: string }).hint).toMatch(/fix or delete/);
  });
});

describe("settings", () => {
  it("starts from the defaults and keeps what was saved", async () => {
    const store = new SettingsStore(dir);
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    const saved = { ...DEFAULT_SETTINGS, maxIntensity: 55, theme: "dark" as const };
    await store.save(saved);
    expect(await new SettingsStore(dir).get()).toEqual(saved);
  });
});

describe("history", () => {
  const entry = (startedAt: string, completed = true): HistoryEntry => ({
    startedAt,
    sourceId: "daily-hair-care",
    name: "Daily hair care",
    goal: "hair",
    plannedMinutes: 5,
    minutes: completed ? 5 : 1.2,
    completed,
    endReason: completed ? "DONE" : "HOST",
  });

  it("keeps every session, newest first, even when two end together", async () => {
    const store = new HistoryStore(dir);
    await Promise.all([store.add(entry("2026-03-01T08:00:00")), store.add(entry("2026-03-01T20:00:00", false))]);
    const list = await store.list();
    expect(list.map((e) => e.completed)).toEqual([false, true]);
  });

  it("counts a streak of days up to today or yesterday", () => {
    const now = new Date("2026-03-05T12:00:00");
    const days = ["2026-03-02T09:00:00", "2026-03-03T09:00:00", "2026-03-04T09:00:00", "2026-03-04T21:00:00"];
    expect(
      computeStreak(
        days.map((d) => entry(d)),
        now,
      ),
    ).toEqual({ days: 3, today: 0 });
    expect(
      computeStreak(
        [...days, "2026-03-05T07:00:00"].map((d) => entry(d)),
        now,
      ),
    ).toEqual({ days: 4, today: 1 });
    expect(computeStreak([entry("2026-03-01T09:00:00")], now)).toEqual({ days: 0, today: 0 });
  });
});

describe("the person's patterns", () => {
  it("saves, lists and deletes them, and names a broken file instead of hiding it", async () => {
    const store = new CustomPatternStore(dir);
    const base = getPattern("scalp-circles");
    if (!base) throw new Error("the library lost scalp-circles");
    await store.save({ ...base, id: "my-circles", name: "My circles" });
    await writeFile(join(store.folder, "broken.json"), '{"id": "broken"}');
    const listed = await store.list();
    expect(listed.patterns.map((p) => p.id)).toEqual(["my-circles"]);
    expect(listed.problems).toHaveLength(1);
    expect(listed.problems[0]).toContain("broken.json");
    await store.remove("my-circles");
    expect((await store.list()).patterns).toEqual([]);
  });
});
