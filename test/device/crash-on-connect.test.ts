/**
 * A bug that escapes every try/catch while `massager play` is still connecting: the crash guard
 * has nothing to stop yet, so the command must not go on to start the session afterwards (it
 * would play until the guard's last-resort exit, and then on until the device's watchdog).
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";

const LAUNCHER = fileURLToPath(new URL("./support/crash-on-connect-launcher.ts", import.meta.url));
const sims = hostedSimulators();

afterEach(async () => {
  await stopAll();
  await sims.closeAll();
});

describe("massager play: a crash while connecting", () => {
  it("never starts the motors, and exits 70 with one line", async () => {
    const { host, recorder } = await sims.tcp();
    const run = startMassager(["play", "scalp-circles", "--device", `crashy-id:${host.spec}`, "--json"], 30_000, [
      "--import",
      "tsx",
      LAUNCHER,
    ]);
    const started = Date.now();
    expect(await run.exited).toBe(70);
    expect(Date.now() - started).toBeLessThan(8_000); // not the guard's 10 s last-resort exit
    expect(recorder.changes.some((change) => change.vib > 0 || change.rot !== 0)).toBe(false);
    const lines = run.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("unexpected error: the crashy transport's line handler failed on the ID line");
  }, 40_000);
});
