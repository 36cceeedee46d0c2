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
  const now = () => new Date();
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
      // A built-in's id would hide the built-in and change what its routines play.
      if (core.library.isBuiltIn(pattern.id)) {
        throw new MassagerError(
          ErrorCode.InvalidPattern,
          `"${pattern.id}" is the id of a built-in pattern or routine`,
          {
            hint: `save it as a copy with its own id, such as "${freeCopyId(core, pattern.id)}"`,
          },
        );
      }
      const saved = await core.patterns.save(pattern);
      await core.reloadPatterns();
      return saved;
    },
    async deletePattern(id) {
      if (core.library.isBuiltIn(id) && !core.library.shadowing().includes(id)) {
        throw new MassagerError(ErrorCode.InvalidPattern, `"${id}" is built in and cannot be deleted`, {
          hint: "only your own patterns can be deleted",
        });
      }
      if (!core.library.isCustom(id) && !core.library.shadowing().includes(id)) {
        throw new MassagerError(ErrorCode.PatternNotFound, `no pattern of yours has the id "${id}"`, {
          hint: "pick one from the library",
        });
      }
      await core.patterns.remove(id);
      await core.reloadPatterns();
    },
    async getHistory() {
      const sessions = await core.history.list();
      return { sessions, streak: computeStreak(sessions, now()) };
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

/** `<id>-copy`, or `<id>-copy-2`, ... : the first id neither built in nor one of the person's. */
export function freeCopyId(core: AppCore, id: string): string {
  const base = `${id.slice(0, 70)}-copy`;
  let candidate = base;
  for (let n = 2; core.library.isBuiltIn(candidate) || core.library.isCustom(candidate); n++)
    candidate = `${base}-${n}`;
  return candidate;
}

/** The API as the renderer sees it: the same methods, every result a promise. */
export type AppApi = ReturnType<typeof createAppApi>;

/** What a method resolves to. */
export type ApiResult<M extends keyof AppApi> = Awaited<ReturnType<AppApi[M]>>;
