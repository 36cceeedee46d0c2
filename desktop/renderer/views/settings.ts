/**
 * Settings: maximum intensity and session length, default device, theme; the audio guide
 * (mute, volume, voice) and the step pulse; water; daily reminders.
 */
import { html, nothing, type TemplateResult } from "lit-html";
import { type Settings, THEMES } from "../../../device/app/contract.ts";
import type { Actions } from "../actions/index.ts";
import { offlineVoices } from "../guidance/speech.ts";
import {
  DEFAULT_VOLUME_PERCENT,
  FIRST_REMINDER_TIME,
  MAX_INTENSITY_SETTING,
  MAX_SESSION_MINUTES_SETTING,
} from "../limits.ts";
import type { UiState } from "../state.ts";
import { askToNotify, notifyState } from "../web-reminders.ts";

function read(form: HTMLFormElement, current: Settings): Settings {
  const data = new FormData(form);
  const checked = (name: string) => data.get(name) === "on";
  const times = [String(data.get("reminder1") ?? ""), String(data.get("reminder2") ?? "")].filter(Boolean);
  return {
    ...current,
    maxIntensity: Number(data.get("maxIntensity") ?? current.maxIntensity),
    maxSessionMinutes: Number(data.get("maxSessionMinutes") ?? current.maxSessionMinutes),
    defaultDevice: String(data.get("defaultDevice") ?? current.defaultDevice),
    theme: (data.get("theme") as Settings["theme"] | null) ?? current.theme,
    guidance: {
      muted: checked("muted"),
      volume: Number(data.get("volume") ?? DEFAULT_VOLUME_PERCENT) / 100,
      voice: String(data.get("voice") ?? ""),
    },
    stepCue: checked("stepCue"),
    waterRated: checked("waterRated"),
    reminders: { enabled: checked("reminders"), times: times.length ? times : current.reminders.times },
  };
}

function remindersNote(settings: Settings): TemplateResult | typeof nothing {
  if (window.massager || !settings.reminders.enabled) return nothing;
  const state = notifyState();
  if (state === "granted") return html`<p class="help">Reminders appear while this page is open.</p>`;
  if (state === "unsupported")
    return html`<p class="help" data-reminder-note="unsupported">This browser cannot show notifications for this page (it needs https or localhost); use the desktop app for reminders.</p>`;
  return html`<p class="help" data-reminder-note=${state}>Allow notifications for this page when the browser asks, or in its site settings.</p>`;
}

export function settingsView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  const settings = state.settings;
  const devices = new Set([settings.defaultDevice, "sim", ...(state.devices?.choices ?? []).map((c) => c.spec)]);
  const voices = offlineVoices();
  const [first, second] = settings.reminders.times;
  return html`<h1 tabindex="-1">Settings</h1>
    <form class="panel" @submit=${async (event: SubmitEvent) => {
      event.preventDefault();
      const next = read(event.target as HTMLFormElement, settings);
      // The permission prompt needs this click: ask before the save's await.
      if (next.reminders.enabled && !window.massager && notifyState() === "default") void askToNotify();
      await actions.settings.save(next);
    }}>
      <div class="field">
        <label for="max-intensity">Maximum intensity (%)</label>
        <input id="max-intensity" name="maxIntensity" type="number" min=${MAX_INTENSITY_SETTING.min} max=${MAX_INTENSITY_SETTING.max} step="1" .value=${String(settings.maxIntensity)} />
        <p class="help">No session goes above this, whatever the pattern, also with + during a session.</p>
      </div>
      <div class="field">
        <label for="max-minutes">Maximum session length (minutes)</label>
        <input id="max-minutes" name="maxSessionMinutes" type="number" min=${MAX_SESSION_MINUTES_SETTING.min} max=${MAX_SESSION_MINUTES_SETTING.max} step="1" .value=${String(settings.maxSessionMinutes)} />
      </div>
      <div class="field">
        <label for="default-device">Default device</label>
        <select id="default-device" name="defaultDevice">
          ${[...devices].map((spec) => html`<option value=${spec} ?selected=${spec === settings.defaultDevice}>${spec === "sim" ? "Simulated massager" : spec}</option>`)}
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
      <fieldset class="field">
        <legend>Guidance during a session</legend>
        <label class="row"><input type="checkbox" name="muted" ?checked=${settings.guidance.muted} />Mute the chime and the voice</label>
        <label for="volume">Volume</label>
        <input id="volume" name="volume" type="range" min="0" max="100" step="5" .value=${String(Math.round(settings.guidance.volume * 100))} />
        <label for="voice">Voice</label>
        <select id="voice" name="voice">
          <option value="" ?selected=${settings.guidance.voice === ""}>Default voice</option>
          ${voices.map((voice) => html`<option value=${voice.name} ?selected=${voice.name === settings.guidance.voice}>${voice.name} (${voice.lang})</option>`)}
        </select>
        ${voices.length === 0 ? html`<p class="help" data-no-voice>No voice is installed on this device: you hear a chime at each step, and the screen shows the cue.</p>` : nothing}
        <label class="row"><input type="checkbox" name="stepCue" ?checked=${settings.stepCue} />A short double pulse of the massager at each step</label>
      </fieldset>
      <fieldset class="field">
        <legend>Water</legend>
        <label class="row"><input type="checkbox" name="waterRated" ?checked=${settings.waterRated} />My massager is rated for use in water (shows the shower routines)</label>
        <p class="help">Check the massager's manual or label. If in doubt, leave this off and keep it dry.</p>
      </fieldset>
      <fieldset class="field">
        <legend>Daily reminders</legend>
        <label class="row"><input type="checkbox" name="reminders" ?checked=${settings.reminders.enabled} />Remind me once or twice a day</label>
        <div class="row">
          <div><label for="reminder1">First</label><input id="reminder1" name="reminder1" type="time" .value=${first ?? FIRST_REMINDER_TIME} /></div>
          <div><label for="reminder2">Second (optional)</label><input id="reminder2" name="reminder2" type="time" .value=${second ?? ""} /></div>
        </div>
        ${remindersNote(settings)}
      </fieldset>
      <button class="primary big" type="submit" data-action="save-settings">Save settings</button>
    </form>`;
}
