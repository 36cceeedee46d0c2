/**
 * The person's own patterns: one JSON file each in `patterns/` under the data folder,
 * validated with the shared PatternSchema when read and when written.
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type Pattern, PatternSchema } from "../../../protocol/pattern.ts";
import { readJsonFile, writeJsonAtomic } from "./atomic-file.ts";

export interface CustomPatternList {
  patterns: Pattern[];
  /** Files that could not be read, with why, so the UI can name them instead of hiding them. */
  problems: string[];
}

export class CustomPatternStore {
  readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, "patterns");
  }

  async list(): Promise<CustomPatternList> {
    let names: string[];
    try {
      names = (await readdir(this.folder)).filter((name) => name.endsWith(".json") && !name.startsWith("."));
    } catch {
      return { patterns: [], problems: [] };
    }
    const patterns: Pattern[] = [];
    const problems: string[] = [];
    for (const name of names.sort()) {
      try {
        const pattern = await readJsonFile(join(this.folder, name), PatternSchema, undefined);
        if (pattern) patterns.push(pattern);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    return { patterns, problems };
  }

  async save(pattern: Pattern): Promise<Pattern> {
    const checked = PatternSchema.parse(pattern);
    await writeJsonAtomic(this.fileOf(checked.id), checked);
    return checked;
  }

  async remove(id: string): Promise<void> {
    await rm(this.fileOf(id), { force: true });
  }

  private fileOf(id: string): string {
    // ids are checked by the schema (lower-case words and hyphens), so they cannot escape the folder
    return join(this.folder, `${id}.json`);
  }
}
