/**
 * The Device screen's hardware tools: "Test motors" (each motor alone, saying in plain words
 * what should be moving and what to swap if it does not) with a Stop kept on screen, and "Flash
 * firmware" for each serial port listed as an Arduino, with the flasher's phase and bytes.
 */
import { html, nothing, type TemplateResult } from "lit-html";
import type { FlashProgress, MotorTestProgress } from "../../../device/app/contract.ts";
import type { Actions } from "../actions/index.ts";
import { isFlashing, isTesting, motorTestOf, type UiState } from "../state.ts";

const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

function motorTestText(test: MotorTestProgress): TemplateResult {
  switch (test.phase) {
    case "starting":
      return html`<p>Asking ${test.device} to get ready…</p>`;
    case "step": {
      const step = test.step;
      if (!step) return html`<p>Testing…</p>`;
      return html`<p><strong>Step ${step.index + 1} of ${step.count}: ${step.name}</strong> (${step.ms / 1000} s)</p>
        <p class="cue" data-motor-expect>${sentence(step.expect)}</p>`;
    }
    case "done":
      return html`<p>Done: the motors are off. If each moved as described, the wiring is right.</p>`;
    case "stopped":
      return html`<p>Stopped: the motors are off.</p>`;
    case "failed":
      return html`<p><strong>The motor test could not run:</strong> ${test.error?.message ?? "unknown error"}</p>
        ${test.error?.hint ? html`<p>How to fix it: ${test.error.hint}</p>` : nothing}`;
  }
}

const FLASH_WORDS: Record<FlashProgress["phase"], string> = {
  starting: "Resetting the board into its bootloader…",
  write: "Writing",
  verify: "Checking (reading back)",
  reconnecting: "Flashed and checked. Connecting to the new firmware…",
  done: "Flashed, checked and connected.",
  failed: "Flashing failed.",
};

function flashText(flash: FlashProgress): TemplateResult {
  const bytes = flash.phase === "write" || flash.phase === "verify";
  return html`<div data-flash-phase=${flash.phase}>
    <p><strong>${flash.phase === "done" && flash.error ? "Flashed and checked, but the app could not connect to it:" : FLASH_WORDS[flash.phase]}</strong>${bytes ? ` ${flash.done} of ${flash.total} bytes` : nothing}</p>
    ${bytes ? html`<progress class="progress-bar" max=${flash.total} .value=${flash.done}></progress>` : nothing}
    ${flash.firmware ? html`<p>The board answers: massager firmware ${flash.firmware}.</p>` : nothing}
    ${flash.pins ? html`<p class="help">Pins: ${flash.pins}</p>` : nothing}
    ${
      flash.error
        ? html`<p>${flash.error.message}</p>${flash.error.hint ? html`<p>How to fix it: ${flash.error.hint}</p>` : nothing}`
        : nothing
    }
  </div>`;
}

export function deviceToolsView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  const tools = actions.tools;
  const motorTest = motorTestOf(state);
  const { flash, board } = state.tools;
  const playing = state.status?.session !== undefined;
  const busy = playing || isTesting(state) || isFlashing(state);
  const arduinos = (state.devices?.choices ?? []).filter((choice) => choice.kind === "serial" && choice.arduino);
  return html`<section class="panel" data-device-tools>
      <h2>Check the hardware</h2>
      <p class="help">Test motors runs each motor alone at a low level, each direction for a second, and says what should be moving.</p>
      <button data-action="test-motors" ?disabled=${busy} @click=${() => tools.testMotors()}>Test motors</button>
      ${playing ? html`<p class="help">Stop the session to test the motors or flash firmware.</p>` : nothing}
      ${motorTest ? html`<div role="status" aria-live="polite" data-motor-test=${motorTest.phase}>${motorTestText(motorTest)}</div>` : nothing}
      <h3>Flash firmware</h3>
      <p class="help">Writes the massager firmware that comes with the app to an Arduino Uno or Nano on USB, then connects to it.</p>
      <label>Board
        <select data-board @change=${(event: Event) => tools.chooseBoard((event.target as HTMLSelectElement).value === "nano" ? "nano" : "uno")}>
          <option value="uno" ?selected=${board === "uno"}>Uno or newer Nano (Optiboot)</option>
          <option value="nano" ?selected=${board === "nano"}>Older Nano (old bootloader)</option>
        </select>
      </label>
      ${
        arduinos.length
          ? html`<div class="row">${arduinos.map((choice) => {
              const port = choice.spec.slice("serial:".length);
              return html`<button data-action="flash-firmware" data-flash-port=${port} ?disabled=${busy}
                @click=${() => tools.flash(port)}>Flash firmware to ${choice.label}</button>`;
            })}</div>`
          : html`<p class="help">No Arduino found on USB. Plug one in and press Look again.</p>`
      }
      ${flash ? html`<div role="status" aria-live="polite">${flashText(flash)}</div>` : nothing}
    </section>`;
}

/** While the motor test runs, a Stop on every screen (the page shows it beside the session's). */
export function motorTestStopBar(state: Readonly<UiState>, actions: Actions): TemplateResult | typeof nothing {
  if (!isTesting(state)) return nothing;
  return html`<div class="stopbar" role="region" aria-label="Motor test controls">
    <button class="stop" data-action="stop-motor-test" @click=${() => actions.tools.stopMotorTest()}>Stop</button>
    <span class="kbd">Esc stops the motors</span>
  </div>`;
}
