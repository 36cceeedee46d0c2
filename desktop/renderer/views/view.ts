/** The page: the top bar, any notice, the current screen, and the Stop bar while a session runs. */
import { html, nothing, type TemplateResult } from "lit-html";
import type { Actions } from "../actions/index.ts";
import type { Charts } from "../charts.ts";
import type { Screen, UiState } from "../state.ts";
import { motorTestStopBar } from "./device-tools.ts";
import { devicesView } from "./devices.ts";
import { editorView } from "./editor.ts";
import { historyView } from "./history.ts";
import { libraryView } from "./library.ts";
import { liveView } from "./live.ts";
import { safetyView } from "./safety.ts";
import { settingsView } from "./settings.ts";
import { setupView } from "./setup.ts";
import { startView } from "./start.ts";

const NAV: { screen: Screen; label: string }[] = [
  { screen: "start", label: "Today" },
  { screen: "library", label: "Library" },
  { screen: "devices", label: "Device" },
  { screen: "editor", label: "Patterns" },
  { screen: "history", label: "History" },
  { screen: "settings", label: "Settings" },
];

function screenView(state: Readonly<UiState>, actions: Actions, charts: Charts): TemplateResult {
  switch (state.screen) {
    case "start":
      return startView(state, actions);
    case "library":
      return libraryView(state, actions);
    case "setup":
      return setupView(state, actions, charts);
    case "safety":
      return safetyView(state, actions);
    case "live":
      return liveView(state, actions, charts);
    case "devices":
      return devicesView(state, actions);
    case "editor":
      return editorView(state, actions, charts);
    case "history":
      return historyView(state);
    case "settings":
      return settingsView(state, actions);
  }
}

function noticeView(state: Readonly<UiState>): TemplateResult | typeof nothing {
  const notice = state.notice;
  if (!notice) return nothing;
  return html`<div class="notice ${notice.kind}" role=${notice.kind === "error" ? "alert" : "status"}>
    <strong>${notice.message}</strong>
    ${notice.hint ? html`<p>How to fix it: ${notice.hint}</p>` : nothing}
  </div>`;
}

function devicePill(state: Readonly<UiState>): TemplateResult {
  const device = state.status?.device;
  const connection = state.linkUp ? (device?.connection ?? "disconnected") : "reconnecting";
  const text = !state.linkUp
    ? "Reconnecting to the app…"
    : device
      ? `${device.description}: ${connection}`
      : "No device";
  return html`<span class="device-pill ${connection}" role="status" data-connection=${connection} title=${text}>${text}</span>`;
}

function stopBar(state: Readonly<UiState>, actions: Actions): TemplateResult | typeof nothing {
  const session = state.status?.session;
  if (!session) return nothing;
  const paused = session.status === "paused";
  return html`<div class="stopbar" role="region" aria-label="Session controls">
    <button class="stop" data-action="stop" @click=${() => actions.session.stop()}>Stop</button>
    <button class="big" data-action="pause" ?disabled=${session.status !== "playing" && !paused} @click=${() => actions.session.togglePause()}>
      ${paused ? "Resume" : "Pause"}
    </button>
    <span class="kbd">Esc stops · Space pauses · ↑ ↓ intensity</span>
  </div>`;
}

export function view(state: Readonly<UiState>, actions: Actions, charts: Charts): TemplateResult {
  return html`<div class="shell">
      <header class="topbar">
        <span class="brand">Scalp massager</span>
        ${
          state.status?.session && state.screen !== "live"
            ? html`<button class="nav primary" data-nav="live" @click=${() => actions.nav.go("live")}>Session</button>`
            : nothing
        }
        <button class="menu-toggle" aria-expanded=${state.menuOpen ? "true" : "false"} aria-controls="screens"
          @click=${() => actions.nav.toggleMenu()}>Menu</button>
        <nav id="screens" aria-label="Screens" class=${state.menuOpen ? "open" : ""}>
          ${NAV.map(
            (item) =>
              html`<button class="nav" data-nav=${item.screen} aria-current=${state.screen === item.screen ? "page" : "false"} @click=${() => actions.nav.go(item.screen)}>
                ${item.label}
              </button>`,
          )}
        </nav>
        ${devicePill(state)}
      </header>
      <main>${noticeView(state)}${screenView(state, actions, charts)}</main>
    </div>
    <div class="sr-only" aria-live="assertive" aria-atomic="true" data-guide>${state.guideText}</div>
    ${stopBar(state, actions)}${motorTestStopBar(state, actions)}`;
}
