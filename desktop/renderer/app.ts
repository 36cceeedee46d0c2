/**
 * The renderer's composition root: one store, the actions the views receive, the router, the
 * keys and the app's events; it renders the page on the next animation frame after any change.
 * Talks to the Node side only through the Client.
 *
 *   client events ─▶ events.ts ─┐
 *   keys.ts ─────────────────────┼─▶ actions/ ─▶ store.update ─▶ render(view(state, actions, charts))
 *   views (clicks) ──────────────┘        ▲
 *   router.ts (#hash) ────────────────────┘
 */
import { render } from "lit-html";
import type { ActionContext } from "./actions/context.ts";
import { failed } from "./actions/context.ts";
import { type Actions, createActions } from "./actions/index.ts";
import type { Client } from "./api/client.ts";
import { Charts } from "./charts.ts";
import { AppEvents } from "./events.ts";
import { listenToKeys } from "./keys.ts";
import { Router, screenFromHash } from "./router.ts";
import { initialState } from "./state.ts";
import { Store } from "./store.ts";
import { view } from "./views/view.ts";

export class App {
  private readonly store = new Store(initialState());
  private readonly charts = new Charts();
  private readonly router: Router;
  private readonly actions: Actions;
  private readonly events: AppEvents;
  private frame = 0;

  constructor(
    private readonly client: Client,
    private readonly root: HTMLElement,
  ) {
    this.router = new Router(this.store, (screen) => this.actions.enter(screen));
    const ctx: ActionContext = {
      store: this.store,
      api: client.api,
      charts: this.charts,
      go: (screen, push) => this.router.go(screen, push),
      focus: (selector) => root.querySelector<HTMLElement>(selector)?.focus(),
    };
    this.actions = createActions(ctx);
    this.events = new AppEvents(ctx, this.actions);
    this.store.subscribe(() => this.refresh());
  }

  async start(): Promise<void> {
    const { api } = this.client;
    this.client.onEvent((event) => this.events.handle(event));
    this.client.onLink((up) => this.store.update({ linkUp: up }));
    listenToKeys(this.store, this.actions);
    this.router.listen();
    try {
      const [{ settings }, library, status, intensities] = await Promise.all([
        api.getSettings(),
        api.getLibrary(),
        api.getStatus(),
        api.getIntensities(),
      ]);
      this.actions.settings.apply(settings);
      this.store.update({ cards: library.cards, libraryProblems: library.problems, status, intensities });
      this.events.observe();
    } catch (error) {
      this.store.update(failed(error));
    }
    this.router.go(this.store.state.status?.session ? "live" : screenFromHash(), false);
  }

  /** Renders on the next animation frame (at most once per frame), also when only the page's surroundings changed. */
  refresh(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      render(view(this.store.state, this.actions, this.charts), this.root);
      if (this.router.takeFocus()) this.root.querySelector<HTMLElement>("h1")?.focus();
    });
  }
}
