/** The start screen and the library: goal, minutes available, the recommendation, the filters, the cards. */
import type { Goal, Zone } from "../../../protocol/pattern.ts";
import { AVAILABLE_MINUTES } from "../limits.ts";
import type { UiState } from "../state.ts";
import { type ActionContext, failed } from "./context.ts";

export class LibraryActions {
  constructor(private readonly ctx: ActionContext) {}

  chooseGoal(goal: Goal): void {
    this.ctx.store.update({ goal, recommendation: undefined });
  }

  chooseMinutes(minutes: number): void {
    if (!Number.isFinite(minutes)) return;
    const { min, max } = AVAILABLE_MINUTES;
    this.ctx.store.update({ minutesAvailable: Math.min(max, Math.max(min, minutes)), recommendation: undefined });
  }

  async recommend(): Promise<void> {
    const { store, api } = this.ctx;
    try {
      const recommendation = await api.recommend({ goal: store.state.goal, minutes: store.state.minutesAvailable });
      store.update({ recommendation, notice: undefined });
      this.ctx.focus("#recommendation h2");
    } catch (error) {
      store.update(failed(error));
    }
  }

  filter(change: { goal?: Goal | "all"; zone?: Zone | "all" }): void {
    this.ctx.store.update((state): Partial<UiState> => ({ filter: { ...state.filter, ...change } }));
  }

  async refresh(): Promise<void> {
    try {
      const library = await this.ctx.api.getLibrary();
      this.ctx.store.update({ cards: library.cards, libraryProblems: library.problems });
    } catch (error) {
      this.ctx.store.update(failed(error));
    }
  }
}
