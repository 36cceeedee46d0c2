/**
 * The person's own patterns, through the app core (no transport): a built-in's id is refused
 * with a free copy's id to save as instead; only the person's files can be deleted, a file that
 * takes a built-in's id among them; what is saved shows in the library at once.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppCore } from "../../device/app/app-core.ts";
import { getPattern } from "../../patterns/index.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { PatternSchema } from "../../protocol/pattern.ts";

let dir: string;
let core: AppCore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "massager-own-patterns-"));
  core = new AppCore({
    dataDir: dir,
    connect: async () => {
      throw new Error("no device in this test");
    },
    listDevices: async () => ({ choices: [], problems: [] }),
  });
  await core.init();
});

afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

const mine = (id: string) => PatternSchema.parse({ ...getPattern("scalp-circles"), id, name: "Mine" });
const card = (id: string) => core.library.cards().find((entry) => entry.id === id);

describe("saving the person's patterns", () => {
  it("refuses a built-in's id, naming the first free copy id, and leaves the built-in as it was", async () => {
    await expect(core.savePattern(mine("scalp-circles"))).rejects.toMatchObject({
      code: ErrorCode.InvalidPattern,
      message: expect.stringContaining("built-in"),
      hint: expect.stringContaining('"scalp-circles-copy"'),
    });
    await core.savePattern(mine("scalp-circles-copy"));
    await expect(core.savePattern(mine("scalp-circles"))).rejects.toMatchObject({
      hint: expect.stringContaining('"scalp-circles-copy-2"'),
    });
    expect(card("scalp-circles")).toMatchObject({ custom: false });
    expect(core.library.isCustom("scalp-circles")).toBe(false);
  });

  it("saves a pattern of the person's own and lists it at once", async () => {
    const saved = await core.savePattern(mine("my-circles"));
    expect(saved.id).toBe("my-circles");
    expect(card("my-circles")).toMatchObject({ custom: true });
  });
});

describe("deleting the person's patterns", () => {
  it("refuses a built-in and an unknown id; deletes the person's own", async () => {
    await expect(core.deletePattern("scalp-circles")).rejects.toMatchObject({ code: ErrorCode.InvalidPattern });
    await expect(core.deletePattern("no-such-pattern")).rejects.toMatchObject({ code: ErrorCode.PatternNotFound });
    await core.savePattern(mine("my-circles"));
    await core.deletePattern("my-circles");
    expect(card("my-circles")).toBeUndefined();
  });

  it("deletes a file that takes a built-in's id (the app never used it), and the built-in stays", async () => {
    await mkdir(join(dir, "patterns"), { recursive: true });
    await writeFile(join(dir, "patterns", "scalp-circles.json"), JSON.stringify(mine("scalp-circles")));
    expect(await core.reloadPatterns()).toEqual([expect.stringContaining("patterns/scalp-circles.json")]);
    await core.deletePattern("scalp-circles");
    expect(await core.reloadPatterns()).toEqual([]);
    expect(card("scalp-circles")).toMatchObject({ custom: false });
  });
});
