/**
 * The crash path: a bug that escapes every try/catch in `massager play` or `massager serve` (an
 * uncaught exception, an unhandled rejection) stops the motors with ESTOP before the process
 * exits 70 with one line and no stack trace. The bug is real, not a test mode: a plugin
 * transport passed in through runCli's extraDeviceSchemes (support/crash-launcher.ts) whose line
 * handler fails mid-session, around the unchanged CLI.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureRendererBuilt } from "../../device/serve/renderer-build.ts";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { type ManagedProcess, stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";

const LAUNCHER = fileURLToPath(new URL("./support/crash-launcher.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "massager-crash-"));
const sims = hostedSimulators();

afterEach(async () => {
  await stopAll();
  await sims.closeAll();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `massager ARGS` with a `crashy:` device whose transport fails on its `onTm`-th TM line. */
function crashingMassager(kind: "exception" | "rejection", onTm: number, args: string[]): ManagedProcess {
  return startMassager([kind, String(onTm), ...args], 60_000, ["--import", "tsx", LAUNCHER]);
}

/** The crash report: exactly one line, naming the bug and that the motors were stopped; no stack. */
function expectOneLineReport(stderr: string, onTm: number): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(
    `massager: unexpected error: the crashy transport's line handler failed on TM ${onTm}; the motors were stopped (a bug: run again with MASSAGER_DEBUG=1 and report what it prints)`,
  );
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("massager play: a crash mid-session", { timeout: 60_000 }, () => {
  it.each(["exception", "rejection"] as const)(
    "an uncaught %s stops the motors with ESTOP, then exit 70 with one line",
    async (kind) => {
      const { host, recorder } = await sims.tcp();
      const run = crashingMassager(kind, 10, ["play", "scalp-circles", "--device", `crashy:${host.spec}`, "--json"]);
      expect(await run.exited).toBe(70);
      // The motors were running when it crashed (10 TMs into the session), and the CLI stopped
      // them itself: ESTOP, not the device's watchdog (which would say WDOG, a second later).
      expect(recorder.changes.some((change) => change.vib > 0)).toBe(true);
      expect(recorder.current).toEqual({ vib: 0, rot: 0 });
      expect(host.device.core.state.reason).toBe("ESTOP");
      expectOneLineReport(run.stderr(), 10);
      const events = run
        .stdout()
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { event: string; reason?: string });
      expect(events.find((event) => event.event === "ended")).toMatchObject({ reason: "ESTOP" });
    },
  );
});

describe("massager serve: a crash while the app plays a session", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    // serve builds the UI on first use; build it here so the child only starts.
    await ensureRendererBuilt();
  }, 120_000);

  it("an uncaught exception stops the motors with ESTOP, closes, exits 70 with one line", async () => {
    const { host, recorder } = await sims.tcp();
    const run = crashingMassager("exception", 10, [
      "serve",
      "--port",
      "0",
      "--data-dir",
      join(dir, "serve-data"),
      "--device",
      `crashy:${host.spec}`,
    ]);
    const url = new URL((await run.line(/^Massager app: /, 30_000)).slice("Massager app: ".length));
    const response = await fetch(`${url.origin}/api/startSession`, {
      method: "POST",
      headers: { Authorization: `Bearer ${url.searchParams.get("token")}`, "Content-Type": "application/json" },
      body: JSON.stringify([{ sourceId: "scalp-circles", minutes: 5, intensity: 80 }]),
    });
    expect(response.status).toBe(200);
    expect(await run.exited).toBe(70);
    expect(recorder.changes.some((change) => change.vib > 0)).toBe(true);
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
    expect(host.device.core.state.reason).toBe("ESTOP");
    expectOneLineReport(run.stderr(), 10);
  });
});
