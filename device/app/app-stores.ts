/**
 * What the app keeps in its data folder: settings, history, the person's patterns (and the
 * library they join), the last intensity of each routine; and the notices of files set aside.
 */
import type { Pattern } from "../../protocol/pattern.ts";
import { IntensityMemory } from "./intensity-memory.ts";
import { Library } from "./library.ts";
import { checkDeletable, checkSavable } from "./pattern-rules.ts";
import { removeStaleTemps, type SetAside } from "./store/atomic-file.ts";
import { CustomPatternStore } from "./store/custom-patterns.ts";
import { HistoryStore } from "./store/history.ts";
import { SettingsStore } from "./store/settings.ts";

export class AppStores {
  readonly library = new Library();
  readonly history: HistoryStore;
  readonly settings: SettingsStore;
  readonly patterns: CustomPatternStore;
  /** The last intensity used for each routine, offered again next time. */
  readonly intensities: IntensityMemory;
  /** Files set aside since the app started, for the terminal and the app's library screen. */
  readonly notices: string[] = [];

  constructor(private readonly dataDir: string) {
    const setAside = (event: SetAside) => {
      this.notices.push(
        `${event.file} was broken (${event.why}); it is kept as ${event.keptAs} and the app started afresh`,
      );
    };
    this.history = new HistoryStore(dataDir, setAside);
    this.settings = new SettingsStore(dataDir, setAside);
    this.patterns = new CustomPatternStore(dataDir);
    this.intensities = new IntensityMemory(dataDir);
  }

  /** See AppCore.init. */
  async init(): Promise<string[]> {
    await removeStaleTemps(this.dataDir);
    await removeStaleTemps(this.patterns.folder);
    for (const read of [() => this.settings.get(), () => this.history.list()]) {
      await read().catch((error: unknown) => this.notices.push((error as Error).message));
    }
    await this.reloadPatterns();
    return [...this.notices];
  }

  /** Reads the person's patterns into the library; resolves with the files it could not use. */
  async reloadPatterns(): Promise<string[]> {
    const { patterns, problems } = await this.patterns.list();
    this.library.setCustom(patterns);
    const shadowing = this.library
      .shadowing()
      .map((id) => `patterns/${id}.json has the id of a built-in, so it is not used: delete it, or save it as a copy`);
    return [...problems, ...shadowing];
  }

  /** Saves one of the person's patterns (never under a built-in's id, pattern-rules.ts) and reloads the library. */
  async savePattern(pattern: Pattern): Promise<Pattern> {
    checkSavable(this.library, pattern.id);
    const saved = await this.patterns.save(pattern);
    await this.reloadPatterns();
    return saved;
  }

  /** Deletes one of the person's patterns (a file with a built-in's id too) and reloads the library. */
  async deletePattern(id: string): Promise<void> {
    checkDeletable(this.library, id);
    await this.patterns.remove(id);
    await this.reloadPatterns();
  }

  /** Resolves once a remembered intensity or a history entry still being written has landed. */
  async flush(): Promise<void> {
    await Promise.all([this.intensities.flush(), this.history.flush()]);
  }
}
