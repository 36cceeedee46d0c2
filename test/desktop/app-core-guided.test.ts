/**
 * The app core's side of the guided session, on the real controller and the in-process
 * simulator: live intensity reaches the device's gain and never passes the person's maximum,
 * and is remembered per routine; the recommendation never offers more minutes than the
 * person has or than their maximum session (and says so), and no shower routine until they
 * confirm their massager is rated for water; a session counts toward the streak only after
 * 5 minutes or when completed; the end summary says how long it really ran.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { connectedDevice } from "../../device/app/connect.ts";
import { DEFAULT_SETTINGS } from "../../device/app/contract.ts";
import { SIMULATOR_CHOICE } from "../../device/app/list-devices.ts";
import { computeStreak, type HistoryEntry } from "../../device/app/store/history.ts";
import { RealClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../../device/simulator/in-process.ts";
import { playedProgram } from "../../protocol/session.ts";

let dir: string;
let sim: InProcessSimulator;
let core: AppCore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "massager-guided-"));
  const clock = new RealClock();
  sim = createInProcessSimulator({ clock, keepRecord: false });
  core = new AppCore({
    dataDir: dir,
    connect: async () => {
      const controller = new Controller({ transport: sim.connect, clock });
      await controller.connect();
      return connectedDevice(controller, "test simulator");
    },
    listDevices: async () => ({ choices: [SIMULATOR_CHOICE], problems: [] }),
  });
  await core.init();
});

afterEach(async () => {
  await core.close();
  sim.device.stop();
  await rm(dir, { recursive: true, force: true });
});

const gain = () => sim.device.core.state.gain;

describe("live intensity", () => {
  it("reaches the device's gain, is capped at the person's maximum, and is remembered for the routine", async () => {
    await core.saveSettings({ ...DEFAULT_SETTINGS, maxIntensity: 70 });
    await core.start({ sourceId: "scalp-circles", minutes: 1, intensity: 40 });
    await expect.poll(() => gain().vib).toBe(400);
    expect(await core.setIntensity(55)).toBe(55);
    expect(gain()).toEqual({ vib: 550, rot: 550 });
    expect(core.getStatus().session?.intensity).toBe(55);
    // Above the person's maximum: held at it.
    expect(await core.setIntensity(95)).toBe(70);
    expect(gain().vib).toBe(700);
    expect(await core.intensities.all()).toEqual({ "scalp-circles": 70 });
    await core.stop();
    await expect.poll(() => core.getStatus().session, { timeout: 5000 }).toBeUndefined();
    await expect(core.setIntensity(50)).rejects.toThrow(/no session is playing/);
  });
});

describe("quick presses", () => {
  it("reach the device in the order they were made: it ends at the last one", async () => {
    await core.start({ sourceId: "scalp-circles", minutes: 1, intensity: 40 });
    await expect.poll(() => gain().vib).toBe(400);
    const results = await Promise.all([core.setIntensity(55), core.setIntensity(45), core.setIntensity(60)]);
    expect(results).toEqual([55, 45, 60]);
    expect(gain().vib).toBe(600);
    expect(core.getStatus().session?.intensity).toBe(60);
    await core.stop();
  });
});

describe("the step pulse", () => {
  it("is compiled into the program unless Settings turn it off", async () => {
    const request = { sourceId: "daily-hair-care", minutes: 2, intensity: 40 };
    const withPulse = JSON.stringify(playedProgram((await core.plan(request)).session));
    await core.saveSettings({ ...DEFAULT_SETTINGS, stepCue: false });
    const without = JSON.stringify(playedProgram((await core.plan(request)).session));
    expect(without).not.toBe(withPulse);
    await core.saveSettings({ ...DEFAULT_SETTINGS, stepCue: true });
    expect(JSON.stringify(playedProgram((await core.plan(request)).session))).toBe(withPulse);
  });
});

describe("the recommendation", () => {
  it("keeps to the minutes the person has, and no shower routine until the massager is rated for water", async () => {
    const api = createAppApi(core);
    const dry = await api.recommend({ goal: "hair", minutes: 3 });
    expect(dry.minutes).toBe(3);
    expect(dry.card.techniques).not.toContain("lather");
    expect(dry.steps.reduce((sum, step) => sum + step.minutes, 0)).toBeCloseTo(3, 1);
    const plan = await api.planSession({ sourceId: dry.card.id, minutes: dry.minutes, intensity: 40 });
    expect(plan.durationMs).toBe(3 * 60_000);

    await core.saveSettings({ ...DEFAULT_SETTINGS, waterRated: true });
    const wet = await api.recommend({ goal: "hair", minutes: 3 });
    expect(wet.card.techniques).toContain("lather");
  });

  it("plays a recommendation's variant from its request alone, whatever is recommended afterwards", async () => {
    const api = createAppApi(core);
    // Both goals in 8 minutes: the scalp keeps its 5 minutes, the head steps share the rest.
    const rec = await api.recommend({ goal: "both", minutes: 8 });
    const request = { sourceId: rec.card.id, minutes: rec.minutes, intensity: 40, stepMinutes: rec.stepMinutes };
    const stored = { sourceId: rec.card.id, minutes: rec.minutes, intensity: 40 };
    const variant = await api.planSession(request);
    const plain = await api.planSession(stored);
    // The variant shares the minutes as recommended: each step's share is its stepMinutes' share.
    const total = rec.stepMinutes.reduce((sum, minutes) => sum + minutes, 0);
    const shares = variant.steps.map((step) => step.durationMs / variant.durationMs);
    expect(shares.map((share) => Math.round(share * 100))).toEqual(
      rec.stepMinutes.map((minutes) => Math.round((minutes / total) * 100)),
    );
    // The stored routine shares them otherwise (else this test could not tell the two apart).
    expect(plain.steps.map((step) => step.durationMs)).not.toEqual(variant.steps.map((step) => step.durationMs));
    // Another window's recommendation (other minutes, another goal) changes neither plan.
    await api.recommend({ goal: "hair", minutes: 20 });
    await api.recommend({ goal: "relax", minutes: 5 });
    expect(await api.planSession(request)).toEqual(variant);
    expect(await api.planSession(stored)).toEqual(plain);
    // A variant that does not fit the routine is refused, naming what is wrong.
    await expect(api.planSession({ ...request, stepMinutes: [1] })).rejects.toThrow(/stepMinutes has 1 entries/);
    // Started, the session carries its request (a window adopting it plans exactly it), and its
    // end summary the variant (so "Again" plays the same).
    await core.start(request);
    expect(core.getStatus().session?.request).toEqual(request);
    await core.stop();
    await expect.poll(() => core.getStatus().session, { timeout: 5000 }).toBeUndefined();
    expect(core.getStatus().lastEnd?.summary?.stepMinutes).toEqual(rec.stepMinutes);
  });

  it("says so when the person's maximum session length caps it", async () => {
    const api = createAppApi(core);
    const capped = await api.recommend({ goal: "hair", minutes: 45 });
    expect(capped.minutes).toBe(30);
    expect(capped.reason).toMatch(/Capped at 30 min, your maximum session length/);
    const plan = await api.planSession({ sourceId: capped.card.id, minutes: capped.minutes, intensity: 40 });
    expect(plan.minutes).toBe(30);
  });
});

describe("what counts toward the day", () => {
  const entry = (minutes: number, completed: boolean): HistoryEntry => ({
    startedAt: new Date(2026, 11, 1, 9).toISOString(),
    sourceId: "daily-hair-care",
    name: "Daily hair care",
    goal: "hair",
    plannedMinutes: 9,
    minutes,
    completed,
    endReason: completed ? "DONE" : "HOST",
  });
  const today = new Date(2026, 11, 1, 20);

  it("counts a session after 5 minutes or when completed, never one stopped after seconds", () => {
    expect(computeStreak([entry(0.05, false)], today)).toEqual({ days: 0, today: 0 });
    expect(computeStreak([entry(4.9, false)], today)).toEqual({ days: 0, today: 0 });
    expect(computeStreak([entry(5, false)], today)).toEqual({ days: 1, today: 1 });
    expect(computeStreak([entry(3, true), entry(0.1, false)], today)).toEqual({ days: 1, today: 1 });
  });

  it("stores how long a stopped session really ran, and sums it up at the end", async () => {
    await core.start({ sourceId: "scalp-circles", minutes: 1, intensity: 40 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await core.stop();
    await expect.poll(() => core.getStatus().lastEnd?.summary).toBeDefined();
    const summary = core.getStatus().lastEnd?.summary;
    expect(summary?.durationMs).toBe(60_000);
    expect(summary?.playedMs).toBeGreaterThan(500);
    expect(summary?.playedMs).toBeLessThan(30_000);
    // The history is written just after the end is announced.
    await expect.poll(async () => (await core.history.list()).length).toBe(1);
    const [stored] = await core.history.list();
    expect(stored?.completed).toBe(false);
    expect(stored?.minutes).toBeCloseTo((summary?.playedMs ?? 0) / 60_000, 2);
    expect(computeStreak(await core.history.list(), new Date()).today).toBe(0);
  });
});
