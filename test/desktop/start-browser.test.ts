/**
 * `npm start` on a machine without the Electron binary and without a display (CI, a Raspberry Pi
 * over ssh): it serves the app on the simulator, says no browser could be opened and prints the
 * URL; the page loads; Ctrl-C (SIGINT to the process group, as a terminal sends it) ends it.
 */
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { browserCommand, type OpenerDeps, openInBrowser } from "../../device/cli/open-browser.ts";
import { spawnManaged, stopAll } from "../support/managed-process.ts";
import { REPO_ROOT } from "../support/paths.ts";

const dataDir = mkdtempSync(join(tmpdir(), "massager-start-"));
afterEach(stopAll);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start without Electron", { timeout: 120_000 }, () => {
  it("serves the app on the simulator, prints its URL, and stops on Ctrl-C", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: "1" };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const run = spawnManaged(
      "npm start",
      process.execPath,
      ["--import", "tsx", "desktop/scripts/start.ts", "--port", "0", "--data-dir", dataDir],
      { cwd: REPO_ROOT, env, timeoutMs: 100_000, detached: true },
    );
    const group = () => process.kill(-run.pid, "SIGINT");
    try {
      const line = await run.line(/Massager app: http:\/\/127\.0\.0\.1:\d+\//, 90_000);
      const url = line.match(/http:\S+/)?.[0] ?? "";
      await run.line(/No browser could be opened \(this machine has no display/, 10_000);
      expect(run.stderr()).toContain("The Electron binary is missing");
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      group();
      expect(await run.exited).toBe(130);
    } finally {
      if (run.child.exitCode === null) group();
    }
  });
});

describe("opening the system's browser", () => {
  it("picks the opener of each platform, and none without a display", () => {
    expect(browserCommand("http://x/", "linux", { DISPLAY: ":0" })).toEqual({
      command: "xdg-open",
      args: ["http://x/"],
    });
    expect(browserCommand("http://x/", "linux", { WAYLAND_DISPLAY: "wayland-0" })).toMatchObject({
      command: "xdg-open",
    });
    expect(browserCommand("http://x/", "linux", {})).toEqual({ reason: expect.stringMatching(/no display/) });
    expect(browserCommand("http://x/", "darwin", {})).toEqual({ command: "open", args: ["http://x/"] });
    expect(browserCommand("http://x/", "win32", {})).toMatchObject({ command: "cmd.exe" });
  });

  function fakeOpener(behave: (child: EventEmitter) => void): OpenerDeps {
    return {
      platform: "linux",
      env: { DISPLAY: ":0" },
      settleMs: 50,
      spawn: () => {
        const child = Object.assign(new EventEmitter(), { unref: () => undefined });
        setTimeout(() => behave(child), 1);
        return child as never;
      },
    };
  }

  it("says why when the opener is missing or finds no browser, and counts a running one as opened", async () => {
    const missing = Object.assign(new Error("spawn xdg-open ENOENT"), { code: "ENOENT" });
    expect(
      await openInBrowser(
        "http://x/",
        fakeOpener((c) => c.emit("error", missing)),
      ),
    ).toEqual({
      opened: false,
      reason: "xdg-open is not installed",
    });
    expect(
      await openInBrowser(
        "http://x/",
        fakeOpener((c) => c.emit("exit", 3)),
      ),
    ).toEqual({
      opened: false,
      reason: "xdg-open found no browser (exit 3)",
    });
    expect(
      await openInBrowser(
        "http://x/",
        fakeOpener((c) => c.emit("exit", 0)),
      ),
    ).toEqual({
      opened: true,
      command: "xdg-open",
    });
    expect(
      await openInBrowser(
        "http://x/",
        fakeOpener(() => undefined),
      ),
    ).toEqual({ opened: true, command: "xdg-open" });
  });
});
