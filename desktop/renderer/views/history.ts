/** History: every session with its date, routine, minutes and whether it completed; the daily streak. */
import { html, type TemplateResult } from "lit-html";
import { COUNTS_AFTER_MINUTES } from "../../../device/app/contract.ts";
import { minutesText } from "../format.ts";
import type { UiState } from "../state.ts";

/** Why a session ended early, in plain words. */
const ENDED: Record<string, string> = {
  HOST: "stopped",
  ESTOP: "stopped at once",
  LIMIT: "time limit",
  WDOG: "lost contact",
  DISCONNECT: "disconnected",
  ERROR: "could not continue",
  FAULT: "massager fault",
};

export function historyView(state: Readonly<UiState>): TemplateResult {
  const history = state.history;
  const sessions = history?.sessions ?? [];
  const streak = history?.streak;
  return html`<h1 tabindex="-1">History</h1>
    <section class="panel">
      <p class="streak" data-streak=${streak?.days ?? 0}>
        ${streak && streak.days > 0 ? `${streak.days}-day streak` : "No streak yet"} · ${streak?.today ?? 0} today
      </p>
      <p class="help">The article suggests a scalp massage once or twice a day. A session counts after ${COUNTS_AFTER_MINUTES} minutes, or when it runs to the end.</p>
    </section>
    ${
      sessions.length === 0
        ? html`<p>No sessions yet.</p>`
        : html`<table data-history>
          <thead><tr><th>Date</th><th>Routine</th><th>Ran</th><th>Completed</th></tr></thead>
          <tbody>
            ${sessions.map(
              (entry) => html`<tr data-source=${entry.sourceId} data-completed=${String(entry.completed)}>
                <td data-label="Date">${new Date(entry.startedAt).toLocaleString()}</td>
                <td data-label="Routine">${entry.name}</td>
                <td data-label="Ran" data-ran>${minutesText(entry.minutes)} of ${minutesText(entry.plannedMinutes)}</td>
                <td data-label="Completed">${entry.completed ? "Yes" : `No (${ENDED[entry.endReason] ?? "ended early"})`}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }`;
}
