import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { answerGarbage, reportProtocol } from "../../device/simulator/behaviours.ts";
import { getRoutine } from "../../patterns/library/index.ts";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";
import { until } from "../support/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "massager-cli-"));
const sims = hostedSimulators();

afterEach(async () => {
  await stopAll();
  await sims.closeAll();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("massager play", { timeout: 60_000 }, () => {
  it("--fast --trace writes the whole routine as applied: from zero to zero, within caps", async () => {
    const trace = join(dir, "t.csv");
    const run = startMassager(["play", "daily-hair-care", "--fast", "--trace", trace, "--json"]);
    expect(await run.exited).toBe(0);
    const rows = readFileSync(trace, "utf8").trim().split("\n");
    expect(rows[0]).toBe("t_ms,vibration,rotation");
    const data = rows.slice(1).map((row) => row.split(",").map(Number) as [number, number, number]);
    expect(data[0]).toEqual([0, 0, 0]);
    expect(data.at(-1)?.slice(1)).toEqual([0, 0]);
    const minutes = (getRoutine("daily-hair-care")?.steps ?? []).reduce((sum, s) => sum + s.minutes, 0);
    const lastActive = data.filter(([, v, r]) => v !== 0 || r !== 0).at(-1)?.[0] ?? 0;
    expect(Math.abs(lastActive - minutes * 60_000)).toBeLessThan(2000);
    for (const [, v, r] of data) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(Math.abs(r)).toBeLessThanOrEqual(1);
    }
    const events = run
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; completed?: boolean; vibration?: number; rotation?: number });
    expect(events.find((e) => e.event === "ended")).toMatchObject({ completed: true });
    // The last progress event reports the motors off, not the levels of the last telemetry before the end.
    expect(events.filter((e) => e.event === "progress").at(-1)).toMatchObject({ vibration: 0, rotation: 0 });
  });

  it("SIGINT stops the motors at once and exits 130", async () => {
    const { host, recorder } = await sims.tcp();
    const run = startMassager(["play", "scalp-circles", "--device", host.spec, "--json"]);
    await until(() => recorder.current.vib > 0);
    run.child.kill("SIGINT");
    const code = await run.exited;
    expect(code).toBe(130);
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
    expect(host.device.core.state.reason).toBe("ESTOP");
    expect(run.stderr()).toMatch(/motors are off/);
  });

  it("kill -9 of the controller mid-session: the device's watchdog stops the motors within its period", async () => {
    const { host, recorder } = await sims.tcp();
    const run = startMassager(["play", "scalp-circles", "--device", host.spec, "--json"]);
    await until(() => recorder.current.vib > 0);
    run.child.kill("SIGKILL");
    await run.exited;
    await until(() => recorder.current.vib === 0 && recorder.current.rot === 0, 10_000);
    // In the device's own timebase, from the last frame it read (a heartbeat may have been in flight
    // at the kill, and how late the device read it is the event loop's business on a loaded machine).
    const lastFrameMs = host.device.core.state.lastFrameMs - host.device.core.originMs;
    const stoppedAfter = (recorder.changes.at(-1)?.tMs ?? Number.POSITIVE_INFINITY) - lastFrameMs;
    expect(stoppedAfter).toBeGreaterThanOrEqual(1000);
    expect(stoppedAfter).toBeLessThanOrEqual(1000 + 5);
    expect(host.device.core.state.reason).toBe("WDOG");
  });

  it.each([
    [["play", "no-such-routine"], 3, /no pattern or routine is called "no-such-routine"/],
    [["play", "scalp-circles", "--device", "serial:/dev/ttyNOPE"], 4, /serial:\/dev\/ttyNOPE: no such port/],
    [["play", "scalp-circles", "--device", "bogus:1"], 1, /unknown kind of device "bogus"/],
    [["play", "scalp-circles", "--intensity", "150"], 2, /percentage from 0 to 100/],
  ])("massager %j exits %i with one clear line and no stack trace", async (args, code, message) => {
    const run = startMassager(args);
    expect(await run.exited).toBe(code);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });

  it.each([
    ["answers garbage", answerGarbage(), /not protocol frames/],
    ["speaks another protocol version", reportProtocol(7), /protocol version 7/],
  ])("a device that %s: exit 5, the reason and the fix, nothing moved", async (_name, behaviour, message) => {
    const { host, recorder } = await sims.tcp();
    host.device.use(behaviour);
    const run = startMassager(["play", "scalp-circles", "--device", host.spec]);
    expect(await run.exited).toBe(5);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).toMatch(/fix: /);
    expect(recorder.changes.every((c) => c.vib === 0 && c.rot === 0)).toBe(true);
  });
});

describe("massager simulate", { timeout: 60_000 }, () => {
  it("prints where it listens on its first line and can be played against", async () => {
    const trace = join(dir, "sim.csv");
    const sim = startMassager(["simulate", "--tcp", "0", "--trace", trace]);
    const first = await sim.line(/^tcp: /);
    expect(sim.stdout().split("\n")[0]).toMatch(/^tcp: 127\.0\.0\.1:\d+$/);
    const play = startMassager([
      "play",
      "scalp-circles",
      "--minutes",
      "0.05",
      "--device",
      `tcp:${first.slice(5)}`,
      "--json",
    ]);
    expect(await play.exited).toBe(0);
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(130);
    const rows = readFileSync(trace, "utf8").trim().split("\n");
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.at(-1)).toMatch(/,0,0$/);
  });
});

describe("massager start and doctor", { timeout: 60_000 }, () => {
  it("start plays the recommended routine on the simulator to its end", async () => {
    const run = startMassager(["start", "--goal", "relax", "--minutes", "3", "--fast", "--json"]);
    expect(await run.exited).toBe(0);
    const events = run
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; completed?: boolean });
    expect(events.filter((e) => e.event === "step").length).toBeGreaterThan(0);
    expect(events.find((e) => e.event === "ended")).toMatchObject({ completed: true });
  });

  it("doctor checks Node, serial and the tools, with a fix for each problem", async () => {
    const run = startMassager(["doctor", "--json"]);
    const code = await run.exited;
    const checks = JSON.parse(run.stdout()) as Array<{ level: string; what: string; fix?: string }>;
    expect(checks.find((c) => c.what.startsWith("Node "))?.level).toBe("ok");
    expect(checks.some((c) => /socat/.test(c.what))).toBe(true);
    for (const check of checks.filter((c) => c.level !== "ok")) expect(check.fix).toBeTruthy();
    expect(code).toBe(checks.some((c) => c.level === "fail") ? 1 : 0);
  });
});
