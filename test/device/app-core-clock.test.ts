/**
 * The app core keeps time on the clock it is given, as the controller and the simulator do:
 * on a virtual clock a 2-minute session plays in well under a second of real time, and the
 * core's status pushes still follow the session's own time (at most one per 200 ms from
 * progress alone), not the wall clock (which would push a handful for the whole session). The
 * date of history entries and of the streak comes from the one injected `now`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { connectedDevice } from "../../device/app/connect.ts";
import type { AppStatus } from "../../device/app/contract.ts";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../../device/simulator/in-process.ts";

let dir: string | undefined;
let sim: InProcessSimulator | undefined;

afterEach(async () => {
  sim?.device.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the app core on a virtual clock", () => {
  it("pushes progress on the session's time: one status per 200 ms of it at most, and not fewer", async () => {
    dir = await mkdtemp(join(tmpdir(), "massager-core-clock-"));
    const clock = new VirtualClock(1_000_000);
    const device = createInProcessSimulator({ clock, keepRecord: false });
    sim = device;
    // The wall-clock date of history entries and the streak: one injected source, months from today.
    const wallTime = new Date(2026, 2, 10, 8, 0);
    const core = new AppCore({
      dataDir: dir,
      clock,
      now: () => wallTime,
      connect: async () => {
        const controller = new Controller({ transport: device.connect, clock });
        await controller.connect();
        return connectedDevice(controller, "test simulator");
      },
      listDevices: async () => ({ choices: [], problems: [] }),
    });
    await core.init();
    await clock.runUntil(core.connect("sim"));

    // Status pushes in which only the position moved, with the clock time of each.
    const progressPushes: number[] = [];
    let last: AppStatus["session"];
    let ended = false;
    core.on("event", (event) => {
      if (event.type !== "status") return;
      const session = event.status.session;
      if (session && last && session.status === last.status && session.step === last.step) {
        if (session.positionMs !== last.positionMs) progressPushes.push(clock.now());
      }
      last = session;
      if (event.status.lastEnd) ended = true;
    });
    const realStart = performance.now();
    const plan = await clock.runUntil(core.start({ sourceId: "scalp-circles", minutes: 2, intensity: 50 }));
    const playStart = clock.now();
    const done = new Promise<void>((resolve) => {
      const check = () => (ended ? resolve() : clock.setTimeout(check, 100));
      check();
    });
    await clock.runUntil(done);
    const realMs = performance.now() - realStart;
    const playedMs = clock.now() - playStart;

    expect(core.getStatus().lastEnd?.completed).toBe(true);
    expect(playedMs).toBeGreaterThanOrEqual(plan.session.durationMs);
    const gaps = progressPushes.slice(1).map((at, i) => at - (progressPushes[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    // Telemetry comes every 50 ms, so a push is due every 200-250 ms of session time: most of
    // 120 s / 250 ms = 480 of them. On the wall clock a run this fast would push a few dozen at most.
    expect(progressPushes.length).toBeGreaterThan(400);
    expect(realMs).toBeLessThan(60_000);
    // The history entry and the streak the API reports both read the core's date, not today's.
    await clock.runUntil(core.history.flush());
    const history = await clock.runUntil(createAppApi(core).getHistory());
    expect(history.sessions.map((entry) => entry.startedAt)).toEqual([wallTime.toISOString()]);
    expect(history.streak).toEqual({ days: 1, today: 1 });
    await clock.runUntil(core.close());
  });
});
