/**
 * The rules of the audio guide (what is said at a step change, "one minute left" only in steps
 * longer than two minutes, the closing line), the daily reminders on a virtual clock, and the
 * Electron main process's reminders (desktop notifications) and wake lock against the fake electron.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type DesktopApp, startDesktopApp } from "../../desktop/main/desktop-app.ts";
import { advanceGuide, type Cue, type GuideState, INITIAL_GUIDE } from "../../desktop/renderer/guidance/cues.ts";
import { connectedDevice } from "../../device/app/connect.ts";
import { type AppStatus, DEFAULT_SETTINGS, type LiveSession } from "../../device/app/contract.ts";
import { SIMULATOR_CHOICE } from "../../device/app/list-devices.ts";
import { nextReminder, REMINDER_TEXT, ReminderScheduler, type ReminderTime } from "../../device/app/reminders.ts";
import { RealClock, VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import type { SessionStep } from "../../protocol/session.ts";
import { createFakeElectron, FakeNotification } from "./fake-electron.ts";

function step(index: number, startMs: number, durationMs: number): SessionStep {
  return {
    index,
    patternId: "scalp-circles",
    name: `Step name ${index}`,
    cue: `Cue ${index}.`,
    technique: "circular",
    zones: ["scalp"],
    pressure: "light",
    startMs,
    durationMs,
  };
}

const STEPS = [step(0, 0, 60_000), step(1, 60_000, 180_000)];

function statusAt(positionMs: number, status: LiveSession["status"] = "playing"): AppStatus {
  const current = STEPS.findLast((s) => s.startMs <= positionMs) ?? STEPS[0];
  return {
    device: { spec: "sim", description: "sim", connection: "connected" },
    session: {
      request: { sourceId: "r", minutes: 4, intensity: 40 },
      sourceId: "r",
      name: "R",
      status,
      durationMs: 240_000,
      positionMs,
      intensity: 40,
      step: current,
      steps: STEPS,
      startedAt: "2026-12-01T08:00:00.000Z",
    },
    applied: { vibration: 0, rotation: 0 },
    lastEnd: undefined,
  };
}

/** Feeds positions every `everyMs` through the guide; returns each cue with the position it came at. */
function run(positions: number[]): { at: number; cue: Cue }[] {
  let state: GuideState = INITIAL_GUIDE;
  const said: { at: number; cue: Cue }[] = [];
  for (const position of positions) {
    const result = advanceGuide(state, statusAt(position));
    state = result.state;
    for (const cue of result.cues) said.push({ at: position, cue });
  }
  const end = advanceGuide(state, {
    ...statusAt(0),
    session: undefined,
    lastEnd: { completed: true, reason: "DONE" },
  });
  for (const cue of end.cues) said.push({ at: 240_000, cue });
  return said;
}

describe("the audio guide's cues", () => {
  it("says each step as it starts, one minute left only in steps over two minutes, and a closing line", () => {
    const positions = Array.from({ length: 1201 }, (_, i) => i * 200);
    const said = run(positions);
    expect(said.map((s) => [s.at, s.cue.kind])).toEqual([
      [0, "step"],
      [60_000, "step"],
      [180_000, "minute"],
      [240_000, "end"],
    ]);
    expect(said[0]?.cue.text).toBe("Step 1 of 2: Step name 0. Cue 0.");
    expect(said[1]?.cue.text).toBe("Step 2 of 2: Step name 1. Cue 1.");
    expect(said[2]?.cue.text).toBe("One minute left in this step.");
    expect(said[3]?.cue.text).toMatch(/end of the session/);
  });

  it("is quiet while paused or uploading and says the step once it plays", () => {
    let state = INITIAL_GUIDE;
    const uploading = advanceGuide(state, statusAt(0, "uploading"));
    expect(uploading.cues).toEqual([]);
    state = uploading.state;
    const playing = advanceGuide(state, statusAt(200));
    expect(playing.cues.map((c) => c.kind)).toEqual(["step"]);
    const paused = advanceGuide(playing.state, statusAt(61_000, "paused"));
    expect(paused.cues).toEqual([]);
    expect(advanceGuide(paused.state, statusAt(61_200)).cues.map((c) => c.kind)).toEqual(["step"]);
  });

  it("does not say one minute left to a page opened late in that minute", () => {
    const said = run([200_000, 200_200]);
    expect(said.map((s) => s.cue.kind)).toEqual(["step", "end"]);
  });
});

/** Wall time on a virtual clock, starting at a local 07:00. */
function virtualTime(clock: VirtualClock, start: Date): ReminderTime {
  return {
    wallNow: () => start.getTime() + clock.now(),
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    clearTimeout: (handle) => clock.clearTimer(handle as ReturnType<VirtualClock["setTimeout"]>),
  };
}

const SEVEN = new Date(2026, 11, 1, 7, 0, 0, 0);
const HOUR = 3_600_000;

describe("daily reminders", () => {
  it("finds the next time of day, today or tomorrow", () => {
    expect(new Date(nextReminder(["08:00", "20:30"], SEVEN.getTime()) ?? 0).getHours()).toBe(8);
    const nine = new Date(2026, 11, 1, 21, 0).getTime();
    const next = new Date(nextReminder(["08:00", "20:30"], nine) ?? 0);
    expect([next.getDate(), next.getHours()]).toEqual([2, 8]);
  });

  it("fires at each time picked, twice a day for two days, and never once turned off", async () => {
    const clock = new VirtualClock();
    const fired: Date[] = [];
    const scheduler = new ReminderScheduler(virtualTime(clock, SEVEN), (at) => fired.push(at));
    scheduler.update({ enabled: true, times: ["08:00", "20:30"] });
    await clock.advance(48 * HOUR);
    expect(fired.map((at) => `${at.getDate()} ${at.getHours()}:${at.getMinutes()}`)).toEqual([
      "1 8:0",
      "1 20:30",
      "2 8:0",
      "2 20:30",
    ]);
    scheduler.update({ enabled: false, times: ["08:00"] });
    await clock.advance(48 * HOUR);
    expect(fired).toHaveLength(4);
  });
});

describe("the desktop app's reminders and wake lock (fake electron)", () => {
  let dir: string | undefined;
  let app: DesktopApp | undefined;
  afterEach(async () => {
    await app?.shutdown();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("shows a desktop notification at the time picked, and keeps the display awake only while a session plays", async () => {
    dir = await mkdtemp(join(tmpdir(), "massager-reminders-"));
    const electron = createFakeElectron(dir);
    const clock = new VirtualClock();
    const realClock = new RealClock();
    const sim = createInProcessSimulator({ clock: realClock, keepRecord: false });
    app = await startDesktopApp(electron, {
      preloadPath: "/opt/massager/preload/preload.cjs",
      pagePath: "/opt/massager/renderer/index.html",
      connect: async () => {
        const controller = new Controller({ transport: sim.connect, clock: realClock });
        await controller.connect();
        return connectedDevice(controller, "test simulator");
      },
      listDevices: async () => ({ choices: [SIMULATOR_CHOICE], problems: [] }),
      reminderTime: virtualTime(clock, SEVEN),
    });
    FakeNotification.shown.length = 0;
    await clock.advance(2 * HOUR);
    expect(FakeNotification.shown).toEqual([]);

    await app.core.saveSettings({ ...DEFAULT_SETTINGS, reminders: { enabled: true, times: ["10:15"] } });
    await clock.advance(HOUR);
    expect(FakeNotification.shown).toEqual([]);
    await clock.advance(30 * 60_000);
    expect(FakeNotification.shown).toEqual([REMINDER_TEXT]);
    await clock.advance(24 * HOUR);
    expect(FakeNotification.shown).toHaveLength(2);

    expect(app.keepAwake.active).toBe(false);
    await app.core.start({ sourceId: "scalp-circles", minutes: 0.5, intensity: 40 });
    expect(app.keepAwake.active).toBe(true);
    expect(electron.powerSaveBlocker.active.size).toBe(1);
    await app.core.stop();
    await expect.poll(() => app?.keepAwake.active, { timeout: 5000 }).toBe(false);
    expect(electron.powerSaveBlocker.active.size).toBe(0);
    sim.device.stop();
  }, 30_000);
});
