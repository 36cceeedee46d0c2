/**
 * The API object: the one place that says what the UI may ask of the Node side. Electron's
 * main process registers each method as an IPC handler and `massager serve` as an HTTP route;
 * the preload and the renderer import only its type (`AppApi`), so the UI's view of it is
 * derived, never written twice. Arguments are checked against contract.ts before a method runs
 * (see dispatch.ts); the methods may trust them.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { AppCore } from "./app-core.ts";
import { type ApiShape, DEFAULT_SETTINGS } from "./contract.ts";
import { computeStreak } from "./store/history.ts";

/** Builds the API over one AppCore. */
export function createAppApi(core: AppCore) {
  return {
    async getLibrary() {
      const problems = await core.reloadPatterns();
      return { cards: core.library.cards(), problems: [...core.notices, ...problems] };
    },
    async recommend(request) {
      const settings = await core.settings.get();
      return core.library.recommend(request.goal, request.minutes, {
        maxMinutes: settings.maxSessionMinutes,
        showers: settings.waterRated,
      });
    },
    async planSession(request) {
      const plan = await core.plan(request);
      return {
        name: plan.session.name,
        goal: plan.session.goal,
        minutes: plan.minutes,
        intensity: plan.intensity,
        durationMs: plan.session.durationMs,
        caps: plan.session.caps,
        steps: plan.session.steps,
        timeline: plan.timeline,
      };
    },
    async startSession(request) {
      const plan = await core.start(request);
      return {
        durationMs: plan.session.durationMs,
        minutes: plan.minutes,
        intensity: plan.intensity,
        timeline: plan.timeline,
      };
    },
    async pauseSession() {
      await core.pause();
    },
    async resumeSession() {
      await core.resume();
    },
    async stopSession() {
      await core.stop();
    },
    async emergencyStop() {
      await core.emergencyStop();
    },
    async getStatus() {
      return core.getStatus();
    },
    async listDevices() {
      return core.listDevices();
    },
    async scanBluetooth() {
      return core.scanBluetooth();
    },
    async connectDevice(spec) {
      return core.connect(spec);
    },
    async getPattern(id) {
      const pattern = core.library.pattern(id);
      if (!pattern) {
        throw new MassagerError(ErrorCode.PatternNotFound, `no pattern "${id}"`, { hint: "pick one from the library" });
      }
      return { pattern, custom: core.library.isCustom(id) };
    },
    async previewPattern(request) {
      return core.preview(request.pattern, request.minutes);
    },
    async savePattern(pattern) {
      return core.savePattern(pattern);
    },
    async deletePattern(id) {
      await core.deletePattern(id);
    },
    async getHistory() {
      const sessions = await core.history.list();
      return { sessions, streak: computeStreak(sessions, core.wallTime()) };
    },
    async getSettings() {
      return { settings: await core.settings.get(), defaults: DEFAULT_SETTINGS };
    },
    async saveSettings(settings) {
      return core.saveSettings(settings);
    },
    async setIntensity(request) {
      return { percent: await core.setIntensity(request.percent) };
    },
    async getIntensities() {
      return core.intensities.all();
    },
    async testMotors() {
      return core.testMotors();
    },
    async flashFirmware(request) {
      return core.flashFirmware(request);
    },
  } satisfies ApiShape;
}

/** The API as the renderer sees it: the same methods, every result a promise. */
export type AppApi = ReturnType<typeof createAppApi>;

/** What a method resolves to. */
export type ApiResult<M extends keyof AppApi> = Awaited<ReturnType<AppApi[M]>>;
