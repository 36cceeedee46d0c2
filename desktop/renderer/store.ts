/**
 * The renderer's one state and the one way to change it. Actions call `update`; the App
 * subscribes and re-renders. Each state is frozen at the top, so a view that assigns to it
 * throws instead of changing what the page shows behind the store's back.
 */
import type { UiState } from "./state.ts";

export type Change = Partial<UiState> | ((state: Readonly<UiState>) => Partial<UiState>);

export class Store {
  private current: Readonly<UiState>;
  private readonly listeners = new Set<(state: Readonly<UiState>) => void>();

  constructor(initial: UiState) {
    this.current = Object.freeze({ ...initial });
  }

  get state(): Readonly<UiState> {
    return this.current;
  }

  /** Merges a change (or a change computed from the current state) and tells the subscribers. */
  update(change: Change): void {
    const patch = typeof change === "function" ? change(this.current) : change;
    this.current = Object.freeze({ ...this.current, ...patch });
    for (const listener of this.listeners) listener(this.current);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (state: Readonly<UiState>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
