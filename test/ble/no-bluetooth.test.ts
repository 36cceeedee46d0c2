/**
 * Without Bluetooth, `scan` and `play --device ble` end within seconds with exit code 4, one
 * line naming what is wrong and one with the fix, and nothing left running.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopAll } from "../support/managed-process.ts";
import { runMassager } from "../support/massager-cli.ts";
import { type SocatPty, socatPty } from "../support/socat.ts";

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
  let pty: SocatPty | undefined;

  beforeAll(async () => {
    // A serial port with no controller behind it: the HCI reset is never answered.
    pty = await socatPty(join(dir, "silent"), "EXEC:sleep 60", 60_000);
    silentPort = pty.port;
  });

  afterAll(async () => {
    await stopAll();
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skipPlain)("massager scan fails at once with exit code 4 on a machine without an adapter", async () => {
    const started = performance.now();
    const result = await runMassager(["scan"], 15_000);
    expect(result.code).toBe(4);
    expectOneClearError(result.stderr, /^massager: no Bluetooth adapter hci0 found/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.skipIf(skipPlain)(
    "massager play --device ble fails with exit code 4 on a machine without an adapter",
    async () => {
      const result = await runMassager(["play", "scalp-circles", "--minutes", "1", "--device", "ble"], 15_000);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain("no Bluetooth adapter hci0 found");
      expect(result.stderr).toContain("fix: ");
    },
  );

  it("massager scan gives up on a controller that never answers, with exit code 4", async () => {
    const result = await runMassager(["scan", "--json", "--hci", `uart:${silentPort}`], 15_000);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe("");
    expectOneClearError(result.stderr, /^massager: no Bluetooth controller answered on uart:/);
  });

  it("massager play --device ble:NAME reports a bad --hci before anything opens", async () => {
    const result = await runMassager(
      ["play", "scalp-circles", "--device", "ble:Massager", "--hci", "bluetooth"],
      15_000,
    );
    expect(result.code).toBe(1);
    expectOneClearError(result.stderr, /^massager: "bluetooth" is not a Bluetooth controller/);
  });
});
