/** The end of a session: how it ended, what ran (m:ss of m:ss), whether it counts toward today, Again and Back to today. */
import { html, nothing, type TemplateResult } from "lit-html";
import { COUNTS_AFTER_MINUTES } from "../../../device/app/contract.ts";
import type { Actions } from "../actions/index.ts";
import { clock } from "../format.ts";
import type { UiState } from "../state.ts";

const END_TEXT: Record<string, string> = {
  DONE: "Session complete. Well done.",
  HOST: "Session stopped.",
  LIMIT: "Stopped at the session time limit.",
  WDOG: "The massager lost contact and stopped itself.",
  ESTOP: "Stopped at once.",
  DISCONNECT: "The massager was disconnected; its motors stop by themselves.",
  ERROR: "The session could not continue.",
  FAULT: "The massager reported a fault and stopped.",
};

export function endedView(state: Readonly<UiState>, actions: Actions): TemplateResult {
  const end = state.status?.lastEnd;
  const summary = end?.summary;
  const counts = summary ? end.completed || summary.playedMs >= COUNTS_AFTER_MINUTES * 60_000 : false;
  return html`<h1 tabindex="-1">${end ? (END_TEXT[end.reason] ?? "Session ended.") : "No session playing"}</h1>
    ${
      end?.error
        ? html`<div class="notice error" role="alert"><strong>${end.error.message}</strong>${
            end.error.hint ? html`<p>How to fix it: ${end.error.hint}</p>` : nothing
          }</div>`
        : nothing
    }
    ${
      summary
        ? html`<section class="panel" data-summary data-played-ms=${Math.round(summary.playedMs)}>
          <h2>${summary.name}</h2>
          <p class="value">${clock(summary.playedMs)} of ${clock(summary.durationMs)} at ${summary.intensity} %</p>
          <p>${
            counts
              ? "This session counts toward today's once or twice."
              : `Sessions count toward today after ${COUNTS_AFTER_MINUTES} minutes, or when they run to the end.`
          }</p>
        </section>`
        : nothing
    }
    <p class="row">
      ${
        summary
          ? html`<button class="primary big" data-action="again" ?disabled=${state.busy} @click=${() => actions.session.again(summary)}>Again</button>`
          : nothing
      }
      <button class="big" data-action="back-to-today" @click=${() => actions.nav.go("start")}>Back to today</button>
      <button class="big" data-action="see-history" @click=${() => actions.nav.go("history")}>See history</button>
    </p>`;
}
