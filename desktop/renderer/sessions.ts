/**
 * Starting and steering a session from the renderer: the safety screen before the very first
 * one, a start that keeps the set-up when the device does not connect (with "Try again" and
 * "Use the simulated massager"), "Again" from the end screen, and live intensity.
 */
import type { SessionEndSummary } from "../../device/app/contract.ts";
import { ApiCallError } from "./api/client.ts";
import type { App } from "./app.ts";
import { unlockAudio } from "./guidance/chime.ts";
import { type StartFailure, sessionRequest } from "./state.ts";

/** Each − or + press changes the intensity by this many percent. */
export const INTENSITY_STEP = 5;

export class SessionFlow {
  /** The intensity asked for last, so quick presses add up before the device answers. */
  private target: number | undefined;
  /** The intensity request under way, if any. */
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly app: App) {}

  /** Start pressed on the set-up: the safety screen first, once; then the session. */
  async start(): Promise<void> {
    unlockAudio();
    if (!this.app.state.settings.safetySeen) {
      this.app.go("safety");
      return;
    }
    await this.play();
  }

  /** "I understand" on the safety screen: never shown again, and the session starts. */
  async acknowledgeSafety(): Promise<void> {
    unlockAudio();
    await this.app.saveSettings({ ...this.app.state.settings, safetySeen: true }, false);
    if (this.app.state.setup) await this.play();
    else this.app.go("start");
  }

  /** After a failed connection: the simulated massager, then the same set-up. */
  async useSimulator(): Promise<void> {
    unlockAudio();
    await this.app.devices.connect("sim");
    if (this.app.state.status?.device.connection === "connected") await this.play();
  }

  async retry(): Promise<void> {
    unlockAudio();
    await this.play();
  }

  /** "Again" on the end screen: the same routine, length and intensity. */
  async again(summary: NonNullable<SessionEndSummary["summary"]>): Promise<void> {
    unlockAudio();
    const card = this.app.state.cards.find((c) => c.id === summary.sourceId);
    if (!card) return this.app.go("start");
    const variant = summary.stepMinutes ? { stepMinutes: summary.stepMinutes } : {};
    this.app.set({
      setup: { card, minutes: summary.minutes, intensity: summary.intensity, plan: undefined, ...variant },
    });
    await this.play();
  }

  private async play(): Promise<void> {
    const { setup, busy } = this.app.state;
    if (!setup || busy) return;
    this.app.set({ busy: true, startFailure: undefined });
    const request = sessionRequest(setup);
    this.target = undefined;
    try {
      this.app.liveChart.setPlan({ stepMs: 1000, vibration: [], rotation: [] });
      this.app.go("live");
      // The chart shows exactly what was compiled and sent, not a plan made before the last change.
      const started = await this.app.client.api.startSession(request);
      // Rebuilding the chart takes a moment: after the status that says it plays, so the first cue is not held up.
      setTimeout(() => this.app.liveChart.setPlan(started.timeline), 0);
      this.app.set({ busy: false });
    } catch (error) {
      this.app.set({ busy: false });
      if (this.app.state.status?.session) return this.app.fail(error);
      // Nothing is playing: back to the set-up, as it was, with a way forward.
      this.app.go("setup");
      this.app.set({ startFailure: failureNotice(error) });
    }
  }

  /**
   * − and + (and the arrow keys): the person's intensity, up to their maximum. Presses add up at
   * once on screen; the requests go one at a time, and a press made while one is under way
   * replaces any not yet sent, so the device ends at the last value asked for.
   */
  async changeIntensity(delta: number): Promise<void> {
    const session = this.app.state.status?.session;
    if (!session || (session.status !== "playing" && session.status !== "paused")) return;
    const max = this.app.state.settings.maxIntensity;
    const from = this.target ?? session.intensity;
    const wanted = Math.max(INTENSITY_STEP, Math.min(max, from + delta));
    if (wanted === from) return;
    this.target = wanted;
    const previous = this.sending;
    const send = (async () => {
      await previous;
      if (this.target !== wanted) return;
      try {
        const { percent } = await this.app.client.api.setIntensity({ percent: wanted });
        if (this.target === wanted) this.target = undefined;
        this.app.set({ intensities: { ...this.app.state.intensities, [session.sourceId]: percent } });
      } catch (error) {
        this.target = undefined;
        this.app.fail(error);
      }
    })();
    this.sending = send;
    await send;
  }
}

/** Link and handshake errors: the device did not answer (protocol/errors.ts, 3xx, 400, 411). */
function unreachable(code: number | undefined): boolean {
  return code === undefined || (code >= 300 && code < 400) || code === 400 || code === 411;
}

function failureNotice(error: unknown): StartFailure {
  const detail = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiCallError ? error.code : undefined;
  const hint = error instanceof ApiCallError ? error.hint : undefined;
  if (!unreachable(code)) {
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
