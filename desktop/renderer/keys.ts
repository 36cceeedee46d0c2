/**
 * The keyboard: Esc stops a session or the motor test anywhere; Space pauses and resumes on the
 * live screen (outside a control); Up and Down change the intensity outside a field.
 */
import type { Actions } from "./actions/index.ts";
import { INTENSITY_STEP } from "./limits.ts";
import { isTesting } from "./state.ts";
import type { Store } from "./store.ts";

export function listenToKeys(store: Store, actions: Actions): void {
  window.addEventListener("keydown", (event) => {
    const state = store.state;
    if (event.key === "Escape" && isTesting(state)) {
      event.preventDefault();
      void actions.tools.stopMotorTest();
    }
    const session = state.status?.session;
    if (!session) return;
    if (event.key === "Escape") {
      event.preventDefault();
      void actions.session.stop();
      return;
    }
    const target = event.target as HTMLElement | null;
    const typing = target?.closest("input, textarea, select, button, a");
    if (event.key === " " && !typing && state.screen === "live") {
      event.preventDefault();
      void actions.session.togglePause();
    }
    // Up and Down change the intensity anywhere but in a field that uses the arrows itself.
    const delta = event.key === "ArrowUp" ? INTENSITY_STEP : event.key === "ArrowDown" ? -INTENSITY_STEP : 0;
    if (delta && !target?.closest("input, textarea, select")) {
      event.preventDefault();
      void actions.session.changeIntensity(delta);
    }
  });
}
