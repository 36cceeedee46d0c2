/** The whole library as cards, filtered by goal and zone. */
import { html, nothing, type TemplateResult } from "lit-html";
import type { LibraryCard } from "../../../device/app/library.ts";
import { GOAL_LABELS, type Goal, ZONES, type Zone } from "../../../protocol/pattern.ts";
import type { Actions } from "../actions/index.ts";
import { minutesText, PRESSURE_LABELS, TECHNIQUE_LABELS, ZONE_LABELS } from "../format.ts";
import type { UiState } from "../state.ts";

function matches(card: LibraryCard, filter: UiState["filter"]): boolean {
  const goalOk = filter.goal === "all" || card.goal === filter.goal || card.goal === "both";
  const zoneOk = filter.zone === "all" || card.zones.includes(filter.zone);
  return goalOk && zoneOk;
}

function cardView(card: LibraryCard, actions: Actions): TemplateResult {
  return html`<article class="card" data-card=${card.id}>
    <h3>${card.name}${card.custom ? " (yours)" : ""}</h3>
    <p>${card.description}</p>
    <ul class="tags" aria-label="Details">
      <li>${card.kind === "routine" ? "Routine" : "Pattern"}</li>
      ${card.techniques.map((technique) => html`<li>${TECHNIQUE_LABELS[technique]}</li>`)}
      ${card.zones.map((zone) => html`<li>${ZONE_LABELS[zone]}</li>`)}
      <li>${PRESSURE_LABELS[card.pressure]}</li>
      <li>${minutesText(card.recommendedMinutes)}</li>
    </ul>
    <button class="primary" @click=${() => actions.setup.open(card, card.recommendedMinutes)}>Choose ${card.name}</button>
  </article>`;
}

export function libraryView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  // Shower routines only for a massager the person confirmed is rated for water (Settings).
  const cards = state.cards.filter(
    (card) => matches(card, state.filter) && (state.settings.waterRated || !card.techniques.includes("lather")),
  );
  return html`<h1 tabindex="-1">Library</h1>
    <div class="row field">
      <div>
        <label for="filter-goal">Goal</label>
        <select id="filter-goal" @change=${(event: Event) =>
          actions.library.filter({ goal: (event.target as HTMLSelectElement).value as Goal | "all" })}>
          <option value="all" ?selected=${state.filter.goal === "all"}>Any goal</option>
          ${(Object.keys(GOAL_LABELS) as Goal[]).map(
            (goal) => html`<option value=${goal} ?selected=${state.filter.goal === goal}>${GOAL_LABELS[goal]}</option>`,
          )}
        </select>
      </div>
      <div>
        <label for="filter-zone">Zone</label>
        <select id="filter-zone" @change=${(event: Event) =>
          actions.library.filter({ zone: (event.target as HTMLSelectElement).value as Zone | "all" })}>
          <option value="all" ?selected=${state.filter.zone === "all"}>Any zone</option>
          ${ZONES.map((zone) => html`<option value=${zone} ?selected=${state.filter.zone === zone}>${ZONE_LABELS[zone]}</option>`)}
        </select>
      </div>
    </div>
    ${
      state.libraryProblems.length
        ? html`<div class="notice warn" role="status"><strong>Some of your pattern files could not be read:</strong>
          ${state.libraryProblems.map((problem) => html`<p>${problem}</p>`)}</div>`
        : nothing
    }
    <p class="help">${cards.length} of ${state.cards.length} shown</p>
    <div class="cards">${cards.map((card) => cardView(card, actions))}</div>`;
}
