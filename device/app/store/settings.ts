/** The person's settings, kept in `settings.json` in the data folder. */
import { join } from "node:path";
import { DEFAULT_SETTINGS, type Settings, SettingsSchema } from "../contract.ts";
import { readJsonOrSetAside, type SetAside, writeJsonAtomic } from "./atomic-file.ts";

export class SettingsStore {
  private readonly path: string;

  /** `onSetAside`: a broken settings.json was renamed aside and the defaults are used. */
  constructor(
    dataDir: string,
    private readonly onSetAside: (event: SetAside) => void = () => {},
  ) {
    this.path = join(dataDir, "settings.json");
  }

  async get(): Promise<Settings> {
    return readJsonOrSetAside(this.path, SettingsSchema, { ...DEFAULT_SETTINGS }, this.onSetAside);
  }

  async save(settings: Settings): Promise<Settings> {
    const checked = SettingsSchema.parse(settings);
    await writeJsonAtomic(this.path, checked);
    return checked;
  }
}
