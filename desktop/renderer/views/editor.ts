/** The pattern editor: keyframes for vibration and rotation, a live preview, import and export as JSON. */
import { html, nothing, type TemplateResult } from "lit-html";
import { PATTERN_LIMITS } from "../../../patterns/pattern-limits.ts";
import { EASINGS, type Easing } from "../../../protocol/fields.ts";
import {
  GOAL_LABELS,
  type Goal,
  type PatternInput,
  PRESSURES,
  type Pressure,
  TECHNIQUES,
  type Technique,
  ZONES,
  type Zone,
} from "../../../protocol/pattern.ts";
import type { EditorActions } from "../actions/editor.ts";
import type { Actions } from "../actions/index.ts";
import type { Charts } from "../charts.ts";
import { PRESSURE_LABELS, TECHNIQUE_LABELS, ZONE_LABELS } from "../format.ts";
import { PREVIEW_MINUTES } from "../limits.ts";
import type { UiState } from "../state.ts";

type Track = "vibration" | "rotation";
type KeyInput = PatternInput["vibration"][number];

const value = (event: Event) => (event.target as HTMLInputElement | HTMLSelectElement).value;

function keyframesTable(track: Track, draft: PatternInput, editor: EditorActions): TemplateResult {
  const keys = draft[track] as KeyInput[];
  const update = (index: number, patch: Partial<KeyInput>) => {
    const next = keys.map((key, i) => (i === index ? { ...key, ...patch } : key));
    editor.edit({ ...draft, [track]: next });
  };
  const level = PATTERN_LIMITS[track];
  const { keyframeMs } = PATTERN_LIMITS;
  return html`<table class="keyframes" data-track=${track}>
    <caption class="help">${track === "vibration" ? "Vibration, 0 to 1" : "Rotation, −1 to 1 (negative turns the other way)"}</caption>
    <thead><tr><th>#</th><th>Time to reach (ms)</th><th>Level</th><th>Curve</th><th><span class="sr-only">Remove</span></th></tr></thead>
    <tbody>
      ${keys.map(
        (key, index) => html`<tr>
          <td>${index + 1}</td>
          <td><input type="number" min=${keyframeMs.min} max=${keyframeMs.max} step="50" aria-label="${track} keyframe ${index + 1} time in ms" .value=${String(key.ms)}
            @change=${(event: Event) => update(index, { ms: Number(value(event)) })} /></td>
          <td><input type="number" min=${level.min} max=${level.max} step="0.05" aria-label="${track} keyframe ${index + 1} level" .value=${String(key.to)}
            @change=${(event: Event) => update(index, { to: Number(value(event)) })} /></td>
          <td><select aria-label="${track} keyframe ${index + 1} curve" @change=${(event: Event) => update(index, { ease: value(event) as Easing })}>
            ${EASINGS.map((ease) => html`<option value=${ease} ?selected=${(key.ease ?? "linear") === ease}>${ease}</option>`)}
          </select></td>
          <td><button aria-label="Remove ${track} keyframe ${index + 1}" ?disabled=${keys.length <= 1}
            @click=${() => editor.edit({ ...draft, [track]: keys.filter((_, i) => i !== index) })}>×</button></td>
        </tr>`,
      )}
    </tbody>
  </table>
  <button ?disabled=${keys.length >= PATTERN_LIMITS.keyframes} @click=${() =>
    editor.edit({ ...draft, [track]: [...keys, { ms: 1000, to: track === "vibration" ? 0.3 : 0, ease: "linear" }] })}>
    Add a ${track} keyframe
  </button>`;
}

export function editorView(state: Readonly<UiState>, actions: Actions, charts: Charts): TemplateResult {
  const editor = actions.editor;
  const { draft, errors, loadedId, copyOffer, confirmDelete, undo } = state.editor;
  const own = state.cards.filter((card) => card.custom);
  const text = (field: "id" | "name" | "description") => (event: Event) =>
    editor.edit({ ...draft, [field]: value(event) });
  return html`<h1 tabindex="-1">Your patterns</h1>
    <section class="panel">
      <div class="row">
        <button @click=${() => editor.newPattern()}>New pattern</button>
        ${own.map(
          (card) => html`<button data-edit=${card.id} @click=${() => editor.load(card.id)}>Edit ${card.name}</button>`,
        )}
        <label class="button" for="import-file">Import JSON…</label>
        <input id="import-file" class="sr-only" type="file" accept=".json,application/json" @change=${(
          event: Event,
        ) => {
          const file = (event.target as HTMLInputElement).files?.[0];
          if (file) void actions.files.importFile(file);
          (event.target as HTMLInputElement).value = "";
        }} />
      </div>
    </section>
    <section class="panel">
      <div class="row">
        <div class="field"><label for="p-id">Id</label>
          <input id="p-id" .value=${draft.id} @change=${text("id")} /></div>
        <div class="field"><label for="p-name">Name</label>
          <input id="p-name" .value=${draft.name} @change=${text("name")} /></div>
        <div class="field"><label for="p-minutes">Recommended minutes</label>
          <input id="p-minutes" type="number" min=${PATTERN_LIMITS.recommendedMinutes.min} max=${PATTERN_LIMITS.recommendedMinutes.max} step="0.5" .value=${String(draft.recommendedMinutes)}
            @change=${(event: Event) => editor.edit({ ...draft, recommendedMinutes: Number(value(event)) })} /></div>
      </div>
      <div class="field"><label for="p-description">Description</label>
        <textarea id="p-description" .value=${draft.description} @change=${text("description")}></textarea></div>
      <div class="row">
        <div class="field"><label for="p-goal">Goal</label>
          <select id="p-goal" @change=${(event: Event) => editor.edit({ ...draft, goal: value(event) as Goal })}>
            ${(Object.keys(GOAL_LABELS) as Goal[]).map((goal) => html`<option value=${goal} ?selected=${draft.goal === goal}>${GOAL_LABELS[goal]}</option>`)}
          </select></div>
        <div class="field"><label for="p-technique">Technique</label>
          <select id="p-technique" @change=${(event: Event) => editor.edit({ ...draft, technique: value(event) as Technique })}>
            ${TECHNIQUES.map((t) => html`<option value=${t} ?selected=${draft.technique === t}>${TECHNIQUE_LABELS[t]}</option>`)}
          </select></div>
        <div class="field"><label for="p-pressure">Pressure</label>
          <select id="p-pressure" @change=${(event: Event) => editor.edit({ ...draft, pressure: value(event) as Pressure })}>
            ${PRESSURES.map((p) => html`<option value=${p} ?selected=${draft.pressure === p}>${PRESSURE_LABELS[p]}</option>`)}
          </select></div>
      </div>
      <fieldset class="field"><legend>Zones</legend>
        <div class="row">
          ${ZONES.map(
            (zone) =>
              html`<label class="row"><input type="checkbox" .checked=${draft.zones.includes(zone)} @change=${(
                event: Event,
              ) => {
                const checked = (event.target as HTMLInputElement).checked;
                const zones: Zone[] = checked ? [...draft.zones, zone] : draft.zones.filter((z) => z !== zone);
                editor.edit({ ...draft, zones });
              }} />${ZONE_LABELS[zone]}</label>`,
          )}
        </div>
      </fieldset>
      <div class="row">
        <div>${keyframesTable("vibration", draft, editor)}</div>
        <div>${keyframesTable("rotation", draft, editor)}</div>
      </div>
    </section>
    ${
      errors.length
        ? html`<div class="errors" role="alert" data-errors=${errors.length}><strong>Not valid yet:</strong>
          <ul>${errors.map((error) => html`<li>${error}</li>`)}</ul></div>`
        : nothing
    }
    <section class="panel">
      <h2>Preview (${PREVIEW_MINUTES * 60} s at full intensity)</h2>
      ${charts.preview.element}
    </section>
    ${
      copyOffer
        ? html`<div class="notice error" role="alert" data-copy-offer>
          <strong>Not saved: ${copyOffer.reason}</strong>
          <p><button class="primary" data-action="save-as-copy" @click=${() => editor.save(copyOffer.id)}>Save as a copy ("${copyOffer.id}")</button></p>
        </div>`
        : nothing
    }
    <p class="row">
      <button class="primary big" data-action="save-pattern" ?disabled=${errors.length > 0} @click=${() => editor.save()}>Save</button>
      <button class="big" ?disabled=${errors.length > 0} @click=${() => actions.files.exportFile()}>Export JSON</button>
      ${
        loadedId && !confirmDelete
          ? html`<button class="big" data-action="delete-pattern" @click=${() => editor.delete(loadedId)}>Delete</button>`
          : nothing
      }
      ${
        loadedId && confirmDelete
          ? html`<span role="alertdialog" aria-label="Confirm delete" class="row" data-confirm-delete>
            Delete "${draft.name}"?
            <button class="big danger" data-action="confirm-delete" @click=${() => editor.delete(loadedId, true)}>Delete</button>
            <button class="big" data-action="cancel-delete" @click=${() => editor.cancelDelete()}>Keep it</button>
          </span>`
          : nothing
      }
      ${
        undo
          ? html`<button class="big" data-action="undo-delete" @click=${() => editor.undoDelete()}>Undo delete of "${undo.name}"</button>`
          : nothing
      }
    </p>`;
}
