/**
 * Containers, minimal installs and WSL have no `udevadm`, which serialport's Linux listing runs.
 * Every command that lists ports must still work there: these runs get a PATH holding only `node`.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { listSysfsSerialPorts } from "../../device/transport/serial-ports.ts";
import { spawnManaged, stopAll } from "../support/managed-process.ts";
import { MASSAGER_BIN, REPO_ROOT } from "../support/paths.ts";

const bin = mkdtempSync(join(tmpdir(), "massager-no-udev-"));
symlinkSync(process.execPath, join(bin, "node"));
const env = { ...process.env, PATH: bin };

afterEach(stopAll);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

async function massager(...args: string[]) {
  const run = spawnManaged(`massager ${args.join(" ")}`, process.execPath, [MASSAGER_BIN, ...args], {
    timeoutMs: 30_000,
    cwd: REPO_ROOT,
    env,
  });
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe.skipIf(process.platform !== "linux")("without udevadm on PATH", { timeout: 60_000 }, () => {
  it("ports --json exits 0 with the ports sysfs has", async () => {
    const run = await massager("ports", "--json");
    expect(run.stderr).not.toMatch(/udevadm|bug/i);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(listSysfsSerialPorts());
  });

  it("ports prints one line per port, or says none were found", async () => {
    const run = await massager("ports");
    expect(run.code).toBe(0);
    const expected = listSysfsSerialPorts().map((port) => `serial:${port.path}`);
    if (expected.length === 0) expect(run.stdout).toMatch(/^No serial ports found/);
    else
      expect(
        run.stdout
          .trim()
          .split("\n")
          .map((line) => line.split("  ")[0]),
      ).toEqual(expected);
  });

  it("doctor names udev as what is missing, not the native binding", async () => {
    const run = await massager("doctor", "--json");
    const checks = JSON.parse(run.stdout) as Array<{ level: string; what: string; fix?: string }>;
    expect(checks.find((c) => /native binding/.test(c.what))?.level).toBe("ok");
    const listing = checks.find((c) => /serial ports are listed from \/sys/.test(c.what));
    expect(listing).toMatchObject({ level: "warn" });
    expect(listing?.what).toMatch(/udevadm is not installed/);
    expect(listing?.fix).toMatch(/optional/);
    expect(run.code).toBe(checks.some((c) => c.level === "fail") ? 1 : 0);
  });

  it("flash without --port says which ports there are instead of crashing", async () => {
    expect((await massager("flash", "--help")).code).toBe(0);
    const run = await massager("flash");
    expect(run.stderr).not.toMatch(/udevadm|bug/i);
    const boards = listSysfsSerialPorts().filter((p) => /^(2341|2a03|1a86|0403|10c4)$/.test(p.vendorId ?? ""));
    if (boards.length === 0) {
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/no Arduino board found on USB/);
    }
  });
});
