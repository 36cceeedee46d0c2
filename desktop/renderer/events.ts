/**
 * The app's events into the store: the status (and what follows it: the guide's cues, the
 * wake lock, a session started elsewhere, the history after one ends), settings saved in
 * another window, the hardware tools' progress, and telemetry for the live chart.
 */
import type { AppEvent } from "../../device/app/contract.ts";
import type { ActionContext } from "./actions/context.ts";
import type { Actions } from "./actions/index.ts";
import { Guide } from "./guidance/guide.ts";
import { keepAwake } from "./wake-lock.ts";

export class AppEvents {
  private readonly guide: Guide;

  constructor(
    private readonly ctx: ActionContext,
    private readonly actions: Actions,
  ) {
    this.guide = new Guide((cue) => ctx.store.update({ guideText: cue.text }));
  }

  handle(event: AppEvent): void {
    const { store, charts } = this.ctx;
    switch (event.type) {
      case "telemetry":
        charts.live.addSample(event.point);
        return;
      case "motorTest":
        store.update((state) => ({ tools: { ...state.tools, motorTest: event.test } }));
        return;
      case "flash":
        store.update((state) => ({ tools: { ...state.tools, flash: event.flash } }));
        return;
      case "settings":
        this.actions.settings.apply(event.settings);
        return;
      case "status":
        break;
    }
    const wasLive = store.state.status?.session !== undefined;
    store.update({ status: event.status });
    this.observe();
    if (!wasLive && event.status.session && store.state.screen !== "live") {
      // A session started elsewhere (another browser, the CLI): show it.
      void this.adoptSession();
    }
    if (wasLive && !event.status.session) void this.actions.settings.refreshHistory();
  }

  /** The guide's cues and the screen's wake lock follow the session. */
  observe(): void {
    const { status, settings } = this.ctx.store.state;
    if (!status) return;
    this.guide.observe(status, settings);
    if (!window.massager) keepAwake(status.session !== undefined);
  }

  private async adoptSession(): Promise<void> {
    const session = this.ctx.store.state.status?.session;
    if (!session) return;
    try {
      // The request it was started with: the same program, a recommendation's variant included.
      const plan = await this.ctx.api.planSession(session.request);
      this.ctx.charts.live.setPlan(plan.timeline);
    } catch {
      // the chart stays empty; the session controls still work
    }
    this.ctx.go("live");
  }
}
