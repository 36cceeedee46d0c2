/**
 * Broken and stray files in the data folder: a broken settings.json or history.json no longer
 * blocks sessions or loses them silently. The app starts with defaults, keeps the broken file
 * aside (renamed, never overwritten) and says so once, for the terminal and the app; temporary
 * files left by killed saves are removed at start.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { DEFAULT_SETTINGS } from "../../device/app/contract.ts";
import { removeStaleTemps } from "../../device/app/store/atomic-file.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "massager-recovery-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

function coreIn(dir: string): AppCore {
  return new AppCore({
    dataDir: dir,
    connect: async () => {
      throw new Error("no device in this test");
    },
    listDevices: async () => ({ choices: [], problems: [] }),
  });
}

describe("a broken file in the data folder", () => {
  for (const [name, content] of [
    ["settings.json", "{ not json"],
    ["settings.json", JSON.stringify({ maxIntensity: "loud" })],
    ["history.json", '{"version": 1, "sessions": [tr'],
  ] as const) {
    it(`${name} (${content.slice(0, 12)}…): defaults, the file kept aside, one notice`, async () => {
      const dir = await dataDir({ [name]: content });
      const core = coreIn(dir);
      const notices = await core.init();
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain(`${name} was broken`);
      expect(notices[0]).not.toContain(dir);
      const names = await readdir(dir);
      const aside = names.find((file) => file.startsWith(`${name}.broken-`));
      expect(aside, names.join(", ")).toBeDefined();
      expect(await readFile(join(dir, aside ?? ""), "utf8")).toBe(content);
      expect(notices[0]).toContain(aside);
      // Defaults now, and the next read says nothing more.
      expect(await core.settings.get()).toEqual(
        name === "settings.json" ? DEFAULT_SETTINGS : await core.settings.get(),
      );
      expect(await core.history.list()).toEqual(name === "history.json" ? [] : await core.history.list());
      expect(core.notices).toHaveLength(1);
      // The app shows it on its library screen.
      const library = await createAppApi(core).getLibrary();
      expect(library.problems).toContain(notices[0]);
      // A session's record lands in a new history, beside the kept file.
      await core.history.add({
        startedAt: new Date().toISOString(),
        sourceId: "scalp-circles",
        name: "Scalp circles",
        goal: "relax",
        plannedMinutes: 5,
        minutes: 5,
        completed: true,
        endReason: "DONE",
      });
      expect(await core.history.list()).toHaveLength(1);
      expect(existsSync(join(dir, aside ?? ""))).toBe(true);
      await core.close();
    });
  }

  it("removes temporary files left by killed saves, but not one being written now", async () => {
    const dir = await dataDir({});
    await writeFile(join(dir, "patterns"), "").catch(() => undefined);
    await rm(join(dir, "patterns"), { force: true });
    const old = [".settings.json.0123456789ab.tmp", ".history.json.abcdef012345.tmp"];
    for (const name of old) {
      await writeFile(join(dir, name), "half");
      const past = new Date(Date.now() - 10 * 60_000);
      await utimes(join(dir, name), past, past);
    }
    await writeFile(join(dir, ".settings.json.fedcba987654.tmp"), "being written");
    await writeFile(join(dir, "notes.tmp"), "not ours");
    expect(await removeStaleTemps(dir)).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([".settings.json.fedcba987654.tmp", "notes.tmp"]);
    // AppCore.init does it for the data folder and the patterns folder.
    const later = new Date(Date.now() - 10 * 60_000);
    await utimes(join(dir, ".settings.json.fedcba987654.tmp"), later, later);
    await coreIn(dir).init();
    expect(await readdir(dir)).toEqual(["notes.tmp"]);
  });
});
