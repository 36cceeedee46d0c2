/** The set-up screen: a card at a length and intensity, within the person's and the pressure's caps; its plan. */
import type { LibraryCard } from "../../../device/app/library.ts";
import { HAIR_MINUTES } from "../../../patterns/hair-minutes.ts";
import { intensityCap } from "../../../patterns/intensity-cap.ts";
import { FIRST_INTENSITY, SESSION_INTENSITY, SESSION_MINUTES } from "../limits.ts";
import { sessionRequest } from "../state.ts";
import { type ActionContext, failed } from "./context.ts";

export class SetupActions {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the answer to the latest plan request counts: an earlier one may arrive after it. */
  private planRequest = 0;

  constructor(private readonly ctx: ActionContext) {}

  /**
   * A recommendation is set up exactly as recommended (`reason` and its variant's `stepMinutes`
   * given); a library card at its own length, and scalp care at least HAIR_MINUTES.
   */
  async open(card: LibraryCard, minutes: number, reason?: string, stepMinutes?: number[]): Promise<void> {
    const { settings, intensities } = this.ctx.store.state;
    const wanted = card.goal === "hair" && !reason ? Math.max(minutes, HAIR_MINUTES) : minutes;
    const setup = {
      card,
      minutes: Math.min(Math.round(wanted * 10) / 10, settings.maxSessionMinutes),
      intensity: Math.min(intensities[card.id] ?? FIRST_INTENSITY, intensityCap(card.pressure, settings.maxIntensity)),
      plan: undefined,
      ...(reason ? { reason } : {}),
      ...(stepMinutes ? { stepMinutes } : {}),
    };
    this.ctx.store.update({ setup, startFailure: undefined });
    this.ctx.go("setup");
    await this.replan();
  }

  change(change: { minutes?: number; intensity?: number }): void {
    const { setup, settings } = this.ctx.store.state;
    if (!setup) return;
    const minutes = change.minutes ?? setup.minutes;
    const intensity = change.intensity ?? setup.intensity;
    if (!Number.isFinite(minutes) || !Number.isFinite(intensity)) return;
    const maxIntensity = intensityCap(setup.card.pressure, settings.maxIntensity);
    this.ctx.store.update({
      setup: {
        ...setup,
        minutes: Math.min(settings.maxSessionMinutes, Math.max(SESSION_MINUTES.min, minutes)),
        intensity: Math.min(maxIntensity, Math.max(SESSION_INTENSITY.min, Math.round(intensity))),
      },
    });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.replan(), 150);
  }

  private async replan(): Promise<void> {
    const { store, api, charts } = this.ctx;
    const setup = store.state.setup;
    if (!setup) return;
    const request = ++this.planRequest;
    try {
      const plan = await api.planSession(sessionRequest(setup));
      const current = store.state.setup;
      if (request !== this.planRequest || current?.card.id !== setup.card.id) return;
      charts.plan.setPlan(plan.timeline);
      store.update({ setup: { ...current, plan } });
    } catch (error) {
      store.update(failed(error));
    }
  }
}
