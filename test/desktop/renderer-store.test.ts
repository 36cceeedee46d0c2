/** The renderer's store: one state, changed only by `update`, which tells the subscribers. */
import { describe, expect, it } from "vitest";
import { initialState } from "../../desktop/renderer/state.ts";
import { Store } from "../../desktop/renderer/store.ts";

describe("the renderer's Store", () => {
  it("merges a change or a change computed from the state, and tells each subscriber", () => {
    const store = new Store(initialState());
    const seen: boolean[] = [];
    const unsubscribe = store.subscribe((state) => seen.push(state.menuOpen));
    store.update({ menuOpen: true });
    store.update((state) => ({ menuOpen: !state.menuOpen, goal: "relax" }));
    unsubscribe();
    store.update({ menuOpen: true });
    expect(seen).toEqual([true, false]);
    expect(store.state.goal).toBe("relax");
    expect(store.state.menuOpen).toBe(true);
  });

  it("refuses an assignment to its state: a view cannot change it behind the store's back", () => {
    const store = new Store(initialState());
    const state = store.state as { menuOpen: boolean };
    expect(() => {
      state.menuOpen = true;
    }).toThrow(TypeError);
    expect(store.state.menuOpen).toBe(false);
  });
});
