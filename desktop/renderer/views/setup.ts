/** Set up: duration, intensity (capped by the pattern's pressure and the person's maximum), device; the plan's chart. */
import { html, nothing, type TemplateResult } from "lit-html";
import { HAIR_MINUTES } from "../../../patterns/hair-minutes.ts";
import { intensityCap, pressureCapPercent } from "../../../patterns/intensity-cap.ts";
import type { Actions } from "../actions/index.ts";
import type { Charts } from "../charts.ts";
import { minutesText, PRESSURE_LABELS } from "../format.ts";
import { SESSION_INTENSITY, SESSION_MINUTES } from "../limits.ts";
import type { UiState } from "../state.ts";

/** The device did not connect: the set-up stays; try again, or use the simulated massager. */
function startFailureView(state: Readonly<UiState>, actions: Actions): TemplateResult | typeof nothing {
  const failure = state.startFailure;
  if (!failure) return nothing;
  return html`<div class="notice error" role="alert" data-start-failure>
    <strong>${failure.message}</strong>
    <p>${failure.fix}</p>
    <p class="row">
      <button class="primary" data-action="retry" ?disabled=${state.busy} @click=${() => actions.session.retry()}>Try again</button>
      <button data-action="use-simulator" ?disabled=${state.busy} @click=${() => actions.session.useSimulator()}>Use the simulated massager</button>
    </p>
    <details><summary>Details</summary><p class="detail">${failure.detail}</p></details>
  </div>`;
}

export function setupView(state: Readonly<UiState>, actions: Actions, charts: Charts): TemplateResult {
  const setup = state.setup;
  if (!setup) {
    return html`<h1 tabindex="-1">Set up</h1>
      <p>Pick something first.</p>
      <button class="primary big" @click=${() => actions.nav.go("start")}>Back to today</button>`;
  }
  const { card, plan } = setup;
  const max = intensityCap(card.pressure, state.settings.maxIntensity);
  const pressureCap = pressureCapPercent(card.pressure);
  const capReason =
    max < pressureCap
      ? `your maximum intensity (${state.settings.maxIntensity} %, in Settings)`
      : `${PRESSURE_LABELS[card.pressure].toLowerCase()} (${pressureCap} %)`;
  const device = state.status?.device;
  return html`<h1 tabindex="-1">Set up: ${card.name}</h1>
    ${startFailureView(state, actions)}
    ${setup.reason ? html`<p class="help">${setup.reason}</p>` : nothing}
    <section class="panel">
      <div class="field">
        <label for="duration">Duration</label>
        <div class="row">
          <button aria-label="One minute less" data-action="minutes-down" @click=${() => actions.setup.change({ minutes: setup.minutes - 1 })}>−</button>
          <input id="duration" type="number" min=${SESSION_MINUTES.min} max=${state.settings.maxSessionMinutes} step="0.5" .value=${String(setup.minutes)}
            @change=${(event: Event) => actions.setup.change({ minutes: Number((event.target as HTMLInputElement).value) })} />
          <button aria-label="One minute more" data-action="minutes-up" @click=${() => actions.setup.change({ minutes: setup.minutes + 1 })}>+</button>
          <span class="value" data-value="minutes">${minutesText(setup.minutes)}</span>
        </div>
        <p class="help">
          ${
            card.goal === "hair" || card.zones.includes("scalp")
              ? `Scalp care works best for at least ${HAIR_MINUTES} minutes, once or twice a day.`
              : `This one suggests ${minutesText(card.recommendedMinutes)}.`
          }
          At most ${minutesText(state.settings.maxSessionMinutes)} (Settings).
        </p>
      </div>
      <div class="field">
        <label for="intensity">Intensity</label>
        <div class="row">
          <input id="intensity" type="range" min=${SESSION_INTENSITY.min} max=${max} step="1" .value=${String(setup.intensity)}
            @input=${(event: Event) => actions.setup.change({ intensity: Number((event.target as HTMLInputElement).value) })} />
          <span class="value" data-value="intensity">${setup.intensity} %</span>
        </div>
        <p class="help">Capped at ${max} % by ${capReason}. Start low: you can turn it up during the session.</p>
      </div>
      <div class="field">
        <span class="label">Device: </span><strong>${device?.description ?? state.settings.defaultDevice}</strong>
        <button data-action="change-device" @click=${() => actions.nav.go("devices")}>Change device</button>
      </div>
    </section>
    ${
      plan
        ? html`<section class="panel" data-plan-minutes=${plan.minutes} data-plan-intensity=${plan.intensity}>
          <h2>The plan: ${minutesText(plan.minutes)} at ${plan.intensity} %</h2>
          <ol class="steps">
            ${plan.steps.map((step) => html`<li>${step.name} (${minutesText(step.durationMs / 60_000)})</li>`)}
          </ol>
          ${charts.plan.element}
          <p class="legend-note">The motors follow this program; vibration and rotation in percent, negative rotation is counter-clockwise.</p>
        </section>`
        : nothing
    }
    <p class="row">
      <button class="primary big" data-action="start-session" ?disabled=${state.busy} @click=${() => actions.session.start()}>
        Start
      </button>
      <button class="big" @click=${() => actions.nav.go("start")}>Back</button>
    </p>`;
}
