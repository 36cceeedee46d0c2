/**
 * Issue 14 items 6 and 8, the app's side: the Device screen's motor test through the API and
 * the app core, on the in-process simulator. It drives each motor alone in the test's order
 * (the simulator's own trace of applied outputs), says each step in words as events, connects
 * again after, is refused while a session plays (flashing too), and the global Stop ends it at
 * once with the motors off.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { createConnector } from "../../device/app/connect.ts";
import type { AppEvent, MotorTestProgress } from "../../device/app/contract.ts";
import { createDeviceTools } from "../../device/app/device-tools.ts";
import { dispatch } from "../../device/app/dispatch.ts";
import { RealClock } from "../../device/clock.ts";
import {
  type DeviceSchemes,
  defaultDeviceSchemes,
  type ResolvedDevice,
} from "../../device/composition/device-schemes.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../../device/simulator/in-process.ts";
import { ErrorCode } from "../../protocol/errors.ts";

let dir: string;
let sim: InProcessSimulator;
let core: AppCore;
let tests: MotorTestProgress[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "massager-tools-"));
  const clock = new RealClock();
  // One simulator behind `sim` for the app's link and the motor test's, so its trace shows both.
  sim = createInProcessSimulator({ clock, keepRecord: true });
  const shared: ResolvedDevice = {
    scheme: "sim",
    description: "test simulator",
    transport: sim.connect,
    simulator: sim,
    dispose: () => {},
  };
  const schemes: DeviceSchemes = defaultDeviceSchemes({ extra: new Map([["sim", () => shared]]) });
  core = new AppCore({
    dataDir: dir,
    connect: createConnector({ clock, schemes }),
    listDevices: async () => ({ choices: [], problems: [] }),
    tools: createDeviceTools({ clock, schemes, listPorts: async () => [] }),
  });
  await core.init();
  tests = [];
  core.on("event", (event: AppEvent) => {
    if (event.type === "motorTest") tests.push(event.test);
  });
});

afterEach(async () => {
  await core.close();
  sim.device.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the app's motor test", () => {
  it("drives each motor alone, vibration then clockwise then counter-clockwise, says each step, and reconnects", async () => {
    const api = createAppApi(core);
    await api.connectDevice("sim");
    const since = sim.device.recorder.changes.length;
    expect(await dispatch(api, "testMotors", [])).toEqual({ completed: true });

    const trace = sim.device.recorder.changes.slice(since);
    // Never both at once, never above the test level (30 % = 300 permille).
    expect(trace.filter((change) => change.vib !== 0 && change.rot !== 0)).toEqual([]);
    expect(Math.max(...trace.map((change) => Math.max(change.vib, Math.abs(change.rot))))).toBe(300);
    const first = (match: (change: { vib: number; rot: number }) => boolean) => trace.find(match)?.tMs ?? Number.NaN;
    const vib = first((change) => change.vib === 300);
    const cw = first((change) => change.rot === 300);
    const ccw = first((change) => change.rot === -300);
    expect(vib).toBeLessThan(cw);
    expect(cw).toBeLessThan(ccw);
    // Clockwise held about a second (device time) before the outputs ramp down.
    const cwEnd = trace.find((change) => change.tMs > cw && change.rot < 300)?.tMs ?? 0;
    expect(cwEnd - cw).toBeGreaterThan(850);
    expect(cwEnd - cw).toBeLessThan(1_400);
    expect(trace.at(-1)).toMatchObject({ vib: 0, rot: 0 });

    expect(tests.map((test) => test.phase)).toEqual(["starting", "step", "step", "step", "done"]);
    expect(tests.map((test) => test.step?.name).filter(Boolean)).toEqual([
      "vibration",
      "rotation clockwise",
      "rotation counter-clockwise",
    ]);
    expect(tests[2]?.step?.expect).toMatch(/^the head( \(D9\))? should turn clockwise seen from above/);
    expect(tests[2]?.step?.expect).toContain("swap its two motor wires");
    expect(tests[1]?.pins).toMatch(/^pins: /);
    expect(core.getStatus().device.connection).toBe("connected");
  });

  it("stops at once on the global stop, with the motors off, and nothing after", async () => {
    const api = createAppApi(core);
    await api.connectDevice("sim");
    const since = sim.device.recorder.changes.length;
    const run = api.testMotors();
    await expect.poll(() => sim.device.core.state.applied.vib, { timeout: 10_000 }).toBeGreaterThan(0);
    const stoppedAt = sim.device.recorder.changes.at(-1)?.tMs ?? 0;
    await api.emergencyStop();
    expect(await run).toEqual({ completed: false });
    expect(tests.at(-1)?.phase).toBe("stopped");
    expect(tests.filter((test) => test.phase === "step")).toHaveLength(1);
    const after = sim.device.recorder.changes.slice(since).filter((change) => change.tMs >= stoppedAt);
    expect(after.at(-1)).toMatchObject({ vib: 0, rot: 0 });
    // The head never turned: the test ended during its first step.
    expect(sim.device.recorder.changes.slice(since).every((change) => change.rot === 0)).toBe(true);
  });

  it("is refused while a session plays, and so is flashing", async () => {
    const api = createAppApi(core);
    await api.startSession({ sourceId: "scalp-circles", minutes: 1, intensity: 40 });
    await expect(api.testMotors()).rejects.toMatchObject({ code: ErrorCode.BadState });
    await expect(api.flashFirmware({ port: "/dev/ttyACM0", board: "uno" })).rejects.toMatchObject({
      code: ErrorCode.BadState,
    });
    expect(core.getStatus().session?.status).not.toBe(undefined);
    expect(tests).toEqual([]);
    await api.stopSession();
  });
});
