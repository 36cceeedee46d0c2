/** The live session: countdown and progress, the current step and its cue, the head diagram, the chart. */
import { html, nothing, type TemplateResult } from "lit-html";
import type { App } from "../app.ts";
import { headDiagram } from "../components/head-diagram.ts";
import { clock, minutesText, percent } from "../format.ts";
import type { UiState } from "../state.ts";

const STATUS_TEXT: Record<string, string> = {
  idle: "Ready",
  uploading: "Sending the program to the massager…",
  playing: "Playing",
  paused: "Paused",
  stopping: "Stopping…",
  ended: "Ended",
};

const END_TEXT: Record<string, string> = {
  DONE: "Session complete. Well done.",
  HOST: "Session stopped.",
  LIMIT: "Stopped at the session time limit.",
  WDOG: "The massager lost contact and stopped itself.",
  ESTOP: "Emergency stop.",
  DISCONNECT: "The massager was disconnected; its motors stop by themselves.",
  ERROR: "The session could not continue.",
  FAULT: "The massager reported a fault and stopped.",
};

function connectionBanner(state: UiState): TemplateResult | typeof nothing {
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

export function liveView(state: UiState, app: App): TemplateResult {
  const session = state.status?.session;
  const end = state.status?.lastEnd;
  const applied = state.status?.applied;
  if (!session) {
    return html`<h1 tabindex="-1">${end ? (END_TEXT[end.reason] ?? "Session ended.") : "No session playing"}</h1>
      ${end?.error ? html`<div class="notice error" role="alert"><strong>${end.error.message}</strong>${end.error.hint ? html`<p>How to fix it: ${end.error.hint}</p>` : nothing}</div>` : nothing}
      <section class="panel">${app.liveChart.element}</section>
      <p class="row">
        <button class="primary big" data-action="see-history" @click=${() => app.go("history")}>See history</button>
        <button class="big" @click=${() => app.go("start")}>Back to today</button>
      </p>`;
  }
  const remaining = session.durationMs - session.positionMs;
  const step = session.step;
  return html`<h1 tabindex="-1">${session.name}</h1>
    ${connectionBanner(state)}
    <div class="live">
      <div>
        <section class="panel">
          <div class="row spread">
            <div>
              <div class="countdown" data-remaining=${Math.round(remaining)} aria-label="Time left">${clock(remaining)}</div>
              <div class="help" role="status" data-status=${session.status}>${STATUS_TEXT[session.status] ?? session.status}</div>
            </div>
            <div class="help">
              of ${minutesText(session.durationMs / 60_000)} at ${session.intensity}%<br />
              Now: vibration ${percent(applied?.vibration ?? 0)}, rotation ${percent(applied?.rotation ?? 0)}
            </div>
          </div>
          <progress class="progress-bar" max=${session.durationMs} .value=${session.positionMs} aria-label="Progress"
            data-position=${Math.round(session.positionMs)}></progress>
          ${
            step
              ? html`<h2>Step ${step.index + 1} of ${session.steps.length}: ${step.name}</h2>
                <p class="cue" data-cue>${step.cue}</p>`
              : nothing
          }
        </section>
        <section class="panel">
          <h2 class="sr-only">Chart</h2>
          ${app.liveChart.element}
          <p class="legend-note">Dashed: the plan. Solid: what the massager applies.</p>
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
    </div>`;
}
