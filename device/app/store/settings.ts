/** The person's settings, kept in `settings.json` in the data folder. */
import { join } from "node:path";
import { DEFAULT_SETTINGS, type Settings, SettingsSchema } from "../contract.ts";
import { readJsonFile, writeJsonAtomic } from "./atomic-file.ts";

export class SettingsStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, "settings.json");
  }

  async get(): Promise<Settings> {
    return readJsonFile(this.path, SettingsSchema, { ...DEFAULT_SETTINGS });
  }

  async save(settings: Settings): Promise<Settings> {
    const checked = SettingsSchema.parse(settings);
    await writeJsonAtomic(this.path, checked);
    return checked;
  }
}
