/** What every action works with: the store, the app's API, the charts, the router's `go`. */
import type { AppApi } from "../../../device/app/app-api.ts";
import { ApiCallError } from "../api/call-error.ts";
import type { Charts } from "../charts.ts";
import type { Screen, UiState } from "../state.ts";
import type { Store } from "../store.ts";

export interface ActionContext {
  readonly store: Store;
  readonly api: AppApi;
  readonly charts: Charts;
  /** Shows a screen (router.ts); `push` false when the address already names it. */
  go(screen: Screen, push?: boolean): void;
  /** Focuses the element `selector` finds on the page as it is now. */
  focus(selector: string): void;
}

/** The change that shows a failed call: its message and fix, and nothing busy any more. */
export function failed(error: unknown): Partial<UiState> {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiCallError ? error.hint : undefined;
  return { notice: { kind: "error", message, hint }, busy: false };
}
