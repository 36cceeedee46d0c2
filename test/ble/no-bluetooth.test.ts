/**
 * Without Bluetooth, `scan` and `play --device ble` end within seconds with exit code 4, one
 * line naming what is wrong and one with the fix, and nothing left running.
 */
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killLeftovers, runCli } from "../cli/run-cli.ts";
import { type ManagedProcess, spawnManaged } from "./support/managed-process.ts";

const adapters = (() => {
  try {
    return readdirSync("/sys/class/bluetooth").filter((name) => /^hci\d+$/.test(name));
  } catch {
    return [];
  }
})();
const hasBluetooth = process.platform !== "linux" || adapters.length > 0;
const skipPlain = hasBluetooth && process.env.CI !== "true";
if (skipPlain) {
  console.warn(`no-Bluetooth CLI checks without --hci skipped: this machine has Bluetooth (${adapters.join(", ")})`);
}

/** The error as the CLI prints it: a message line and a fix line, no stack trace. */
function expectOneClearError(stderr: string, what: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines[0]).toMatch(what);
  expect(lines[1]).toMatch(/^ {2}fix: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("BLE without Bluetooth", () => {
  const dir = mkdtempSync(join(tmpdir(), "massager-nobt-"));
  let silentPort = "";
  let pty: ManagedProcess | undefined;

  beforeAll(async () => {
    // A serial port with no controller behind it: the HCI reset is never answered.
    const link = join(dir, "silent");
    pty = spawnManaged("socat", "socat", [`PTY,raw,echo=0,link=${link}`, "EXEC:sleep 60"], { timeoutMs: 60_000 });
    for (let i = 0; i < 200 && !existsSync(link); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    silentPort = realpathSync(link);
  });

  afterAll(async () => {
    killLeftovers();
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skipPlain)("massager scan fails at once with exit code 4 on a machine without an adapter", async () => {
    const started = performance.now();
    const result = await runCli(["scan"], 15_000);
    expect(result.code).toBe(4);
    expectOneClearError(result.stderr, /^massager: no Bluetooth adapter hci0 found/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.skipIf(skipPlain)(
    "massager play --device ble fails with exit code 4 on a machine without an adapter",
    async () => {
      const result = await runCli(["play", "scalp-circles", "--minutes", "1", "--device", "ble"], 15_000);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain("no Bluetooth adapter hci0 found");
      expect(result.stderr).toContain("fix: ");
    },
  );

  it("massager scan gives up on a controller that never answers, with exit code 4", async () => {
    const result = await runCli(["scan", "--json", "--hci", `uart:${silentPort}`], 15_000);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe("");
    expectOneClearError(result.stderr, /^massager: no Bluetooth controller answered on uart:/);
  });

  it("massager play --device ble:NAME reports a bad --hci before anything opens", async () => {
    const result = await runCli(["play", "scalp-circles", "--device", "ble:Massager", "--hci", "bluetooth"], 15_000);
    expect(result.code).toBe(1);
    expectOneClearError(result.stderr, /^massager: "bluetooth" is not a Bluetooth controller/);
  });
});
