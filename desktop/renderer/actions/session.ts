/**
 * Starting and steering a session: the safety screen before the very first one, a start that
 * keeps the set-up when the device does not connect (with "Try again" and "Use the simulated
 * massager"), "Again" from the end screen, live intensity, pause and stop.
 */
import type { SessionEndSummary } from "../../../device/app/contract.ts";
import { ErrorCode, isTransmissionError } from "../../../protocol/errors.ts";
import { ApiCallError } from "../api/call-error.ts";
import { unlockAudio } from "../guidance/chime.ts";
import { INTENSITY_STEP } from "../limits.ts";
import { type StartFailure, sessionRequest } from "../state.ts";
import { type ActionContext, failed } from "./context.ts";
import type { DeviceActions } from "./devices.ts";
import type { SettingsActions } from "./settings.ts";

export class SessionActions {
  /** The intensity asked for last, so quick presses add up before the device answers. */
  private target: number | undefined;
  /** The intensity request under way, if any. */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ActionContext,
    private readonly devices: DeviceActions,
    private readonly settings: SettingsActions,
  ) {}

  /** Start pressed on the set-up: the safety screen first, once; then the session. */
  async start(): Promise<void> {
    unlockAudio();
    if (!this.ctx.store.state.settings.safetySeen) {
      this.ctx.go("safety");
      return;
    }
    await this.play();
  }

  /** "I understand" on the safety screen: never shown again, and the session starts. */
  async acknowledgeSafety(): Promise<void> {
    unlockAudio();
    await this.settings.save({ ...this.ctx.store.state.settings, safetySeen: true }, false);
    if (this.ctx.store.state.setup) await this.play();
    else this.ctx.go("start");
  }

  /** After a failed connection: the simulated massager, then the same set-up. */
  async useSimulator(): Promise<void> {
    unlockAudio();
    await this.devices.connect("sim");
    if (this.ctx.store.state.status?.device.connection === "connected") await this.play();
  }

  async retry(): Promise<void> {
    unlockAudio();
    await this.play();
  }

  /** "Again" on the end screen: the same routine, length and intensity. */
  async again(summary: NonNullable<SessionEndSummary["summary"]>): Promise<void> {
    unlockAudio();
    const card = this.ctx.store.state.cards.find((c) => c.id === summary.sourceId);
    if (!card) return this.ctx.go("start");
    const variant = summary.stepMinutes ? { stepMinutes: summary.stepMinutes } : {};
    this.ctx.store.update({
      setup: { card, minutes: summary.minutes, intensity: summary.intensity, plan: undefined, ...variant },
    });
    await this.play();
  }

  private async play(): Promise<void> {
    const { store, api, charts } = this.ctx;
    const { setup, busy } = store.state;
    if (!setup || busy) return;
    store.update({ busy: true, startFailure: undefined });
    const request = sessionRequest(setup);
    this.target = undefined;
    try {
      charts.live.setPlan({ stepMs: 1000, durationMs: 0, vibration: [], rotation: [] });
      this.ctx.go("live");
      // The chart shows exactly what was compiled and sent, not a plan made before the last change.
      const started = await api.startSession(request);
      // Rebuilding the chart takes a moment: after the status that says it plays, so the first cue is not held up.
      setTimeout(() => charts.live.setPlan(started.timeline), 0);
      store.update({ busy: false });
    } catch (error) {
      store.update({ busy: false });
      if (store.state.status?.session) return store.update(failed(error));
      // Nothing is playing: back to the set-up, as it was, with a way forward.
      this.ctx.go("setup");
      store.update({ startFailure: failureNotice(error) });
    }
  }

  /**
   * − and + (and the arrow keys): the person's intensity, up to their maximum. Presses add up at
   * once on screen; the requests go one at a time, and a press made while one is under way
   * replaces any not yet sent, so the device ends at the last value asked for.
   */
  async changeIntensity(delta: number): Promise<void> {
    const { store, api } = this.ctx;
    const session = store.state.status?.session;
    if (!session || (session.status !== "playing" && session.status !== "paused")) return;
    const max = store.state.settings.maxIntensity;
    const from = this.target ?? session.intensity;
    const wanted = Math.max(INTENSITY_STEP, Math.min(max, from + delta));
    if (wanted === from) return;
    this.target = wanted;
    const previous = this.sending;
    const send = (async () => {
      await previous;
      if (this.target !== wanted) return;
      try {
        const { percent } = await api.setIntensity({ percent: wanted });
        if (this.target === wanted) this.target = undefined;
        store.update((state) => ({ intensities: { ...state.intensities, [session.sourceId]: percent } }));
      } catch (error) {
        this.target = undefined;
        store.update(failed(error));
      }
    })();
    this.sending = send;
    await send;
  }

  async togglePause(): Promise<void> {
    const session = this.ctx.store.state.status?.session;
    if (!session) return;
    try {
      if (session.status === "paused") await this.ctx.api.resumeSession();
      else if (session.status === "playing") await this.ctx.api.pauseSession();
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }

  async stop(): Promise<void> {
    try {
      await this.ctx.api.stopSession();
    } catch (error) {
      // The soft stop failed: cut the outputs at once.
      await this.ctx.api.emergencyStop().catch(() => undefined);
      this.ctx.store.update(failed(error));
    }
  }
}

/** The device did not answer: a link error (3xx), a failed handshake, or no connection (protocol/errors.ts). */
function unreachable(error: unknown): boolean {
  if (!(error instanceof ApiCallError)) return true;
  return (
    isTransmissionError(error) || error.code === ErrorCode.HandshakeFailed || error.code === ErrorCode.NotConnected
  );
}

function failureNotice(error: unknown): StartFailure {
  const detail = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiCallError ? error.code : undefined;
  const hint = error instanceof ApiCallError ? error.hint : undefined;
  if (!unreachable(error)) {
    return {
      message: "The session could not start. Your set-up is kept.",
      fix: hint
        ? `${hint[0]?.toUpperCase() ?? ""}${hint.slice(1)}.`
        : "Press Try again, or use the simulated massager.",
      detail: `${code ? `Error ${code}: ` : ""}${detail}`,
    };
  }
  return {
    message: "The massager did not answer, so the session did not start. Your set-up is kept.",
    fix: "Check that the massager is switched on and its cable or Bluetooth is connected, then press Try again. Or use the simulated massager to try the session without one.",
    detail: `${code ? `Error ${code}: ` : ""}${hint ? `${detail} (${hint})` : detail}`,
  };
}
