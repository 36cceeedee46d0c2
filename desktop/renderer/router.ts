/**
 * The router: owns the current screen and the address's `#hash`. Going to a screen clears the
 * notice, closes the phone menu, asks the page to focus the new heading, and lets `onEnter`
 * load what the screen shows.
 */
import { SCREENS, type Screen } from "./state.ts";
import type { Store } from "./store.ts";

/** Every screen but the set-up can be opened from the address: the set-up needs a chosen card. */
const ADDRESSABLE: readonly Screen[] = SCREENS.filter((screen) => screen !== "setup");

/** The screen the address names, or the start screen. */
export function screenFromHash(): Screen {
  const name = window.location.hash.slice(1);
  return ADDRESSABLE.find((screen) => screen === name) ?? "start";
}

export class Router {
  private focusPending = false;

  constructor(
    private readonly store: Store,
    private readonly onEnter: (screen: Screen) => void,
  ) {}

  /** Follows the browser's back and forward buttons. */
  listen(): void {
    window.addEventListener("hashchange", () => this.go(screenFromHash(), false));
  }

  go(screen: Screen, push = true): void {
    if (push && window.location.hash !== `#${screen}`) history.pushState(null, "", `#${screen}`);
    this.focusPending = true;
    this.store.update({ screen, notice: undefined, menuOpen: false });
    this.onEnter(screen);
  }

  /** True once after each `go`: the page then focuses the new screen's heading. */
  takeFocus(): boolean {
    const pending = this.focusPending;
    this.focusPending = false;
    return pending;
  }
}
