/** Settings: maximum intensity, maximum session length, default device, theme. */
import { html, type TemplateResult } from "lit-html";
import { type Settings, THEMES } from "../../../device/app/contract.ts";
import type { App } from "../app.ts";
import type { UiState } from "../state.ts";

function read(form: HTMLFormElement, current: Settings): Settings {
  const data = new FormData(form);
  return {
    maxIntensity: Number(data.get("maxIntensity") ?? current.maxIntensity),
    maxSessionMinutes: Number(data.get("maxSessionMinutes") ?? current.maxSessionMinutes),
    defaultDevice: String(data.get("defaultDevice") ?? current.defaultDevice),
    theme: (data.get("theme") as Settings["theme"] | null) ?? current.theme,
  };
}

export function settingsView(state: UiState, app: App): TemplateResult {
  const settings = state.settings;
  const devices = new Set([settings.defaultDevice, "sim", ...(state.devices?.choices ?? []).map((c) => c.spec)]);
  return html`<h1 tabindex="-1">Settings</h1>
    <form class="panel" @submit=${(event: SubmitEvent) => {
      event.preventDefault();
      void app.saveSettings(read(event.target as HTMLFormElement, settings));
    }}>
      <div class="field">
        <label for="max-intensity">Maximum intensity (%)</label>
        <input id="max-intensity" name="maxIntensity" type="number" min="10" max="100" step="1" .value=${String(settings.maxIntensity)} />
        <p class="help">No session goes above this, whatever the pattern.</p>
      </div>
      <div class="field">
        <label for="max-minutes">Maximum session length (minutes)</label>
        <input id="max-minutes" name="maxSessionMinutes" type="number" min="1" max="240" step="1" .value=${String(settings.maxSessionMinutes)} />
      </div>
      <div class="field">
        <label for="default-device">Default device</label>
        <select id="default-device" name="defaultDevice">
          ${[...devices].map((spec) => html`<option value=${spec} ?selected=${spec === settings.defaultDevice}>${spec}</option>`)}
        </select>
      </div>
      <fieldset class="field">
        <legend>Theme</legend>
        ${THEMES.map(
          (
            theme,
          ) => html`<label class="row"><input type="radio" name="theme" value=${theme} ?checked=${settings.theme === theme} />
            ${theme === "light" ? "Light" : "Dark"}</label>`,
        )}
      </fieldset>
      <button class="primary big" type="submit" data-action="save-settings">Save settings</button>
    </form>`;
}
