/** Start: what would you like today, and how long do you have → the recommended routine and why. */
import { html, nothing, type TemplateResult } from "lit-html";
import { GOAL_LABELS, type Goal } from "../../../protocol/pattern.ts";
import type { Actions } from "../actions/index.ts";
import { minutesText } from "../format.ts";
import { AVAILABLE_MINUTES } from "../limits.ts";
import type { UiState } from "../state.ts";

const GOAL_HINTS: Record<Goal, string> = {
  hair: "Circles over the whole scalp to bring blood to the hair roots.",
  relax: "Neck, shoulders, temples and the base of the skull, to unwind.",
  both: "Scalp care first, then a head massage for the tension.",
};

const MINUTE_CHOICES = [3, 5, 10, 15, 20];

function recommendationView(state: Readonly<UiState>, actions: Actions): TemplateResult | typeof nothing {
  const rec = state.recommendation;
  if (!rec) return nothing;
  return html`<section class="panel" id="recommendation" aria-live="polite">
    <h2 tabindex="-1">${rec.card.name} · ${minutesText(rec.minutes)}</h2>
    <p><strong>Why:</strong> ${rec.reason}</p>
    <ol class="steps">
      ${rec.steps.map((step) => html`<li>${step.name} (${minutesText(step.minutes)}): ${step.cue}</li>`)}
    </ol>
    <p class="row">
      <button class="primary big" data-action="take-recommendation" @click=${() => actions.setup.open(rec.card, rec.minutes, rec.reason, rec.stepMinutes)}>
        Set up this session
      </button>
    </p>
  </section>`;
}

export function startView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  return html`<h1 tabindex="-1">What would you like today?</h1>
    <div class="choices" role="group" aria-label="Goal">
      ${(Object.keys(GOAL_LABELS) as Goal[]).map(
        (goal) =>
          html`<button class="choice" data-goal=${goal} aria-pressed=${state.goal === goal ? "true" : "false"} @click=${() => actions.library.chooseGoal(goal)}>
            <strong>${GOAL_LABELS[goal]}</strong><span>${GOAL_HINTS[goal]}</span>
          </button>`,
      )}
    </div>
    <div class="field">
      <label for="minutes-available">Minutes you have</label>
      <div class="row">
        ${MINUTE_CHOICES.map(
          (minutes) =>
            html`<button data-minutes=${minutes} aria-pressed=${state.minutesAvailable === minutes ? "true" : "false"} class="choice-small ${state.minutesAvailable === minutes ? "primary" : ""}" @click=${() => actions.library.chooseMinutes(minutes)}>
              ${minutes}
            </button>`,
        )}
        <input id="minutes-available" type="number" min=${AVAILABLE_MINUTES.min} max=${AVAILABLE_MINUTES.max} step="1" .value=${String(state.minutesAvailable)}
          @change=${(event: Event) => actions.library.chooseMinutes(Number((event.target as HTMLInputElement).value))} />
      </div>
    </div>
    <p class="row">
      <button class="primary big" data-action="recommend" @click=${() => actions.library.recommend()}>Show my routine</button>
      <button class="big" data-action="browse" @click=${() => actions.nav.go("library")}>Browse the library</button>
    </p>
    ${recommendationView(state, actions)}`;
}
