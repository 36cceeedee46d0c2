/** The device panel: the current device and its state, what else can be connected, errors with their fixes. */
import { html, nothing, type TemplateResult } from "lit-html";
import { isHostError, isTransmissionError } from "../../../protocol/errors.ts";
import type { Actions } from "../actions/index.ts";
import type { UiState } from "../state.ts";
import { deviceToolsView } from "./device-tools.ts";

const KIND_LABELS: Record<string, string> = {
  simulator: "Simulated massager",
  serial: "Serial port (massager firmware)",
  firmata: "Firmata board",
  ble: "Bluetooth",
  tcp: "Network",
};

const CONNECTION_TEXT: Record<string, string> = {
  connected: "Connected and ready.",
  connecting: "Connecting…",
  reconnecting: "Lost contact; trying to reconnect. Its motors stop by themselves meanwhile.",
  disconnected: "Not connected.",
};

const STATE_TEXT: Record<string, string> = {
  IDLE: "Resting, motors off.",
  PLAYING: "Playing a session.",
  PAUSED: "Paused.",
  STOPPING: "Slowing to a stop.",
  STREAMING: "Playing a session.",
  FAULT: "Reported a fault: switch it off and on again.",
};

/** An error in plain words; the raw message stays in the details. */
function plainError(error: { code: number; message: string; hint?: string }): string {
  if (isTransmissionError(error)) return "The massager could not be reached.";
  if (isHostError(error)) return "Something on this computer got in the way.";
  return "Something went wrong with the massager.";
}

export function devicesView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  const device = state.status?.device;
  const info = device?.info;
  const choices = state.devices?.choices ?? [];
  const connection = device?.connection ?? "disconnected";
  return html`<h1 tabindex="-1">Device</h1>
    <section class="panel" data-device-state=${connection}>
      <h2>${device?.description ?? "No massager yet"}</h2>
      <p data-plain-state>
        ${CONNECTION_TEXT[connection] ?? connection}
        ${connection === "connected" && device?.state ? (STATE_TEXT[device.state] ?? "") : nothing}
      </p>
      ${connection === "disconnected" && !device?.error ? html`<p class="help">The app connects to ${state.settings.defaultDevice === "sim" ? "the simulated massager" : state.settings.defaultDevice} when a session starts.</p>` : nothing}
      ${
        device?.error
          ? html`<div class="notice error" role="alert"><strong>${plainError(device.error)}</strong>
            ${device.error.hint ? html`<p>How to fix it: ${device.error.hint}</p>` : nothing}</div>`
          : nothing
      }
      <details data-details>
        <summary>Details</summary>
        <ul class="detail">
          <li>Connection: ${connection}${device?.reconnectAttempt ? ` (attempt ${device.reconnectAttempt})` : ""}</li>
          ${device?.state ? html`<li>Device state: ${device.state} (${device.reason})</li>` : nothing}
          ${
            info
              ? html`<li data-firmware=${info.firmware}>Firmware ${info.firmware}, protocol ${info.protocol}</li>
                <li>${info.program ? "Plays programs" : "Streams setpoints"} · watchdog ${info.watchdogMs} ms · longest session ${Math.round(info.maxSessionS / 60)} min</li>`
              : nothing
          }
          ${device?.error ? html`<li>Error ${device.error.code}: ${device.error.message}</li>` : nothing}
        </ul>
      </details>
    </section>
    <section class="panel">
      <div class="row spread">
        <h2>Available</h2>
        <div class="row">
          <button data-action="refresh-devices" ?disabled=${state.devicesLoading} @click=${() => actions.devices.refresh()}>
            ${state.devicesLoading ? "Looking…" : "Look again"}
          </button>
          <button data-action="scan-bluetooth" ?disabled=${state.devicesLoading} @click=${() => actions.devices.scanBluetooth()}>
            Scan for Bluetooth massagers
          </button>
        </div>
      </div>
      <table>
        <thead><tr><th>Device</th><th>Kind</th><th><span class="sr-only">Action</span></th></tr></thead>
        <tbody>
          ${choices.map(
            (choice) => html`<tr data-spec=${choice.spec}>
              <td><strong>${choice.label}</strong>${choice.detail ? html`<br /><span class="help">${choice.detail}</span>` : nothing}</td>
              <td>${KIND_LABELS[choice.kind] ?? choice.kind}</td>
              <td>
                <button class=${device?.spec === choice.spec ? "" : "primary"} ?disabled=${state.busy || state.status?.session !== undefined}
                  @click=${() => actions.devices.connect(choice.spec)}>
                  ${device?.spec === choice.spec && device.connection === "connected" ? "Reconnect" : "Connect"}
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${state.status?.session ? html`<p class="help">Stop the session to change the device.</p>` : nothing}
      ${
        state.devices?.problems.length
          ? html`<details><summary>Why some devices may be missing</summary>
            ${state.devices.problems.map((problem) => html`<p class="help detail">${problem}</p>`)}</details>`
          : nothing
      }
    </section>
    ${deviceToolsView(state, actions)}`;
}
