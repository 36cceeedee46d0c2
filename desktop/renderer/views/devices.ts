/** The device panel: the current device and its state, what else can be connected, errors with their fixes. */
import { html, nothing, type TemplateResult } from "lit-html";
import type { App } from "../app.ts";
import type { UiState } from "../state.ts";

const KIND_LABELS: Record<string, string> = {
  simulator: "Simulated massager",
  serial: "Serial port (massager firmware)",
  firmata: "Firmata board",
  ble: "Bluetooth",
  tcp: "Network",
};

export function devicesView(state: UiState, app: App): TemplateResult {
  const device = state.status?.device;
  const info = device?.info;
  const choices = state.devices?.choices ?? [];
  return html`<h1 tabindex="-1">Device</h1>
    <section class="panel" data-device-state=${device?.connection ?? "disconnected"}>
      <h2>${device?.description ?? "No device yet"}</h2>
      <p>
        Connection: <strong>${device?.connection ?? "disconnected"}</strong>
        ${device?.reconnectAttempt ? html` (attempt ${device.reconnectAttempt})` : nothing}
        ${device?.state ? html` · device ${device.state.toLowerCase()} (${device.reason})` : nothing}
      </p>
      ${
        info
          ? html`<p data-firmware=${info.firmware}>
            Firmware ${info.firmware}, protocol ${info.protocol} · ${info.program ? "plays programs" : "streams setpoints"} ·
            watchdog ${info.watchdogMs} ms · longest session ${Math.round(info.maxSessionS / 60)} min
          </p>`
          : html`<p class="help">Connects to ${state.settings.defaultDevice} when a session starts.</p>`
      }
      ${
        device?.error
          ? html`<div class="notice error" role="alert"><strong>${device.error.message}</strong>
            ${device.error.hint ? html`<p>How to fix it: ${device.error.hint}</p>` : nothing}</div>`
          : nothing
      }
    </section>
    <section class="panel">
      <div class="row spread">
        <h2>Available</h2>
        <div class="row">
          <button data-action="refresh-devices" ?disabled=${state.devicesLoading} @click=${() => app.refreshDevices()}>
            ${state.devicesLoading ? "Looking…" : "Look again"}
          </button>
          <button data-action="scan-bluetooth" ?disabled=${state.devicesLoading} @click=${() => app.scanBluetooth()}>
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
                  @click=${() => app.connect(choice.spec)}>
                  ${device?.spec === choice.spec && device.connection === "connected" ? "Reconnect" : "Connect"}
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${state.status?.session ? html`<p class="help">Stop the session to change the device.</p>` : nothing}
      ${(state.devices?.problems ?? []).map((problem) => html`<p class="help">${problem}</p>`)}
    </section>`;
}
