/** Shown once, before the first session: how to use the massager safely. */
import { html, type TemplateResult } from "lit-html";
import type { Actions } from "../actions/index.ts";
import type { UiState } from "../state.ts";

export function safetyView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  return html`<h1 tabindex="-1">Before your first session</h1>
    <section class="panel safety">
      <ul>
        <li><strong>Start low.</strong> Begin at a low intensity and turn it up with + (or the ↑ key) only if it feels good.</li>
        <li><strong>Keep hair away from the rotating head.</strong> Tie long hair back, and never hold the head still in long hair while it turns.</li>
        <li><strong>The supply switch is the real off.</strong> Stop in the app ramps the motors down; if anything feels wrong, switch the massager's power off.</li>
        <li><strong>Water.</strong> Keep the massager and its electronics away from water unless it is rated for it. Shower routines appear only after you confirm that in Settings.</li>
      </ul>
    </section>
    <p class="row">
      <button class="primary big" data-action="safety-ok" ?disabled=${state.busy} @click=${() => actions.session.acknowledgeSafety()}>
        I understand, start
      </button>
      <button class="big" @click=${() => actions.nav.go(state.setup ? "setup" : "start")}>Back</button>
    </p>`;
}
