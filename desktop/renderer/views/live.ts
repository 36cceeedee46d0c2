/**
 * The live session: the current step with its own countdown, the next step, the head diagram,
 * the whole session's countdown, live intensity (− and +, or the Up and Down keys), the chart.
 * Durations are m:ss; rotation is a direction and a level.
 */
import { html, nothing, type TemplateResult } from "lit-html";
import type { Actions } from "../actions/index.ts";
import type { Charts } from "../charts.ts";
import { headDiagram } from "../components/head-diagram.ts";
import { clock, minutesText, percent, rotationText, ZONE_LABELS } from "../format.ts";
import { INTENSITY_STEP } from "../limits.ts";
import type { UiState } from "../state.ts";
import { endedView } from "./ended.ts";

const STATUS_TEXT: Record<string, string> = {
  idle: "Ready",
  uploading: "Sending the program to the massager…",
  playing: "Playing",
  paused: "Paused",
  stopping: "Stopping…",
  ended: "Ended",
};

function connectionBanner(state: Readonly<UiState>): TemplateResult | typeof nothing {
  const device = state.status?.device;
  if (!state.linkUp) {
    return html`<div class="notice warn" role="status" data-banner="link">
      <strong>Reconnecting to the app…</strong><p>The massager keeps to its safety limits meanwhile.</p>
    </div>`;
  }
  if (device?.connection === "reconnecting" || device?.connection === "connecting") {
    return html`<div class="notice warn" role="status" data-banner="reconnecting">
      <strong>Reconnecting to the massager${device.reconnectAttempt ? ` (attempt ${device.reconnectAttempt})` : ""}…</strong>
      <p>Its motors stop on their own while it is out of contact.</p>
    </div>`;
  }
  return nothing;
}

function intensityControl(state: Readonly<UiState>, actions: Actions): TemplateResult {
  const session = state.status?.session;
  const intensity = session?.intensity ?? 0;
  const max = state.settings.maxIntensity;
  // A 1.0 firmware has no live gain: say so instead of offering buttons that cannot work.
  if (state.status?.device.info?.gain === false) {
    return html`<p class="help" data-no-live-intensity>
      Intensity ${intensity} %. This massager's firmware cannot change it during a session: update it
      (<code>massager flash</code>), or stop and change it in the set-up.
    </p>`;
  }
  const busy = session?.status !== "playing" && session?.status !== "paused";
  return html`<div class="intensity row" role="group" aria-label="Intensity">
    <button class="big" data-action="intensity-down" aria-label="Less intense" ?disabled=${busy || intensity <= INTENSITY_STEP}
      @click=${() => actions.session.changeIntensity(-INTENSITY_STEP)}>−</button>
    <span class="value" data-value="live-intensity" data-intensity=${intensity}>${intensity} %</span>
    <button class="big" data-action="intensity-up" aria-label="More intense" ?disabled=${busy || intensity >= max}
      @click=${() => actions.session.changeIntensity(INTENSITY_STEP)}>+</button>
    <span class="help">Intensity, up to ${max} % (↑ ↓ keys)</span>
  </div>`;
}

export function liveView(state: Readonly<UiState>, actions: Actions, charts: Charts): TemplateResult {
  const session = state.status?.session;
  const applied = state.status?.applied;
  if (!session) return endedView(state, actions);
  const remaining = session.durationMs - session.positionMs;
  const step = session.step;
  const stepLeft = step ? step.startMs + step.durationMs - session.positionMs : 0;
  const next = step ? session.steps[step.index + 1] : undefined;
  return html`<h1 tabindex="-1">${session.name}</h1>
    ${connectionBanner(state)}
    <div class="live">
      <div>
        <section class="panel">
          ${
            step
              ? html`<p class="help">Step ${step.index + 1} of ${session.steps.length}</p>
                <h2 data-step=${step.index}>${step.name}</h2>
                <div class="countdown" data-step-remaining=${Math.round(stepLeft)}>
                  <span class="sr-only">Time left in this step: </span>${clock(stepLeft)}
                </div>
                <p class="cue" data-cue>${step.cue}</p>`
              : nothing
          }
          <p class="next" data-next=${next?.index ?? ""}>
            ${
              next
                ? html`<strong>Next:</strong> ${next.name} · ${next.zones.map((zone) => ZONE_LABELS[zone]).join(", ")}`
                : html`<strong>Next:</strong> the end`
            }
          </p>
          <div class="help" role="status" data-status=${session.status}>${STATUS_TEXT[session.status] ?? session.status}</div>
        </section>
        <section class="panel">
          ${intensityControl(state, actions)}
          <p class="session-left">
            <span class="value" data-remaining=${Math.round(remaining)}><span class="sr-only">Session time left: </span>${clock(remaining)}</span>
            <span class="help">left of ${minutesText(session.durationMs / 60_000)}</span>
          </p>
          <progress class="progress-bar" max=${session.durationMs} .value=${session.positionMs} aria-label="Session progress"
            data-position=${Math.round(session.positionMs)}></progress>
          <p class="help" data-applied>
            Now: vibration ${percent(applied?.vibration ?? 0)}, rotation ${rotationText(applied?.rotation ?? 0)}
          </p>
        </section>
      </div>
      <aside class="panel">
        ${headDiagram(step?.zones ?? [])}
        <h2>Steps</h2>
        <ol class="steps">
          ${session.steps.map(
            (
              s,
            ) => html`<li class=${s.index === step?.index ? "current" : ""} aria-current=${s.index === step?.index ? "step" : "false"}>
              ${s.name} <span class="help">${minutesText(s.durationMs / 60_000)}</span>
            </li>`,
          )}
        </ol>
      </aside>
    </div>
    <section class="panel">
      <h2 class="sr-only">Chart</h2>
      ${charts.live.element}
      <p class="legend-note">Thin: the plan. Thick: what the massager applies. Rotation above zero turns clockwise.</p>
    </section>`;
}
