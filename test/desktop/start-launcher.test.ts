/**
 * `npm start`: opens the Electron window when the binary is there; otherwise says so and how to
 * fix it, and runs the same app through `massager serve` on the simulator, opened in the
 * browser. The launcher's steps are injected, so no window opens and nothing is downloaded.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { electronBinary, type LaunchSteps, launch, MISSING_ELECTRON_MESSAGE } from "../../desktop/scripts/start.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "massager-electron-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function steps(binary: string | undefined, downloads: boolean) {
  const runs: { command: string; args: string[] }[] = [];
  let out = "";
  let err = "";
  let present = binary;
  const launchSteps: LaunchSteps = {
    build: async () => "/app/desktop/out/main/index.mjs",
    findElectron: () => present,
    download: () => {
      if (downloads) present = "/downloaded/electron";
      return downloads;
    },
    run: async (command, args) => {
      runs.push({ command, args });
      return 0;
    },
    say: (text) => {
      out += text;
    },
    warn: (text) => {
      err += text;
    },
  };
  return { launchSteps, runs, output: () => out, errors: () => err };
}

describe("npm start", () => {
  it("finds the Electron binary only when electron's install put it there", async () => {
    expect(electronBinary(dir)).toBeUndefined();
    await writeFile(join(dir, "path.txt"), "electron");
    expect(electronBinary(dir)).toBeUndefined();
    await mkdir(join(dir, "dist"));
    await writeFile(join(dir, "dist/electron"), "");
    expect(electronBinary(dir)).toBe(join(dir, "dist/electron"));
  });

  it("opens the app on the simulated massager when Electron is installed", async () => {
    const run = steps("/bin/electron", false);
    expect(await launch(run.launchSteps)).toBe(0);
    expect(run.runs).toEqual([{ command: "/bin/electron", args: ["/app/desktop/out/main/index.mjs", "--device=sim"] }]);
    expect(run.errors()).toBe("");
  });

  it("downloads a missing binary once, then opens the app", async () => {
    const run = steps(undefined, true);
    await launch(run.launchSteps);
    expect(run.runs[0]?.command).toBe("/downloaded/electron");
  });

  it("explains a missing binary and its fix, then serves the app on the simulator to the browser", async () => {
    const run = steps(undefined, false);
    expect(await launch(run.launchSteps)).toBe(0);
    expect(run.errors()).toContain(MISSING_ELECTRON_MESSAGE);
    expect(MISSING_ELECTRON_MESSAGE).toContain("node node_modules/electron/install.js");
    expect(MISSING_ELECTRON_MESSAGE).toContain("npx massager serve");
    expect(run.runs).toHaveLength(1);
    expect(run.runs[0]?.args).toEqual([
      expect.stringMatching(/bin\/massager\.js$/),
      "serve",
      "--device",
      "sim",
      "--open",
    ]);
  });
});
