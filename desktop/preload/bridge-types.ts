/**
 * What the preload exposes to the renderer as `window.massager`: each API method (results
 * wrapped in an Envelope so error codes survive IPC) and a subscription to the app's events.
 * Derived from the API object's type, never written by hand.
 */
import type { AppApi } from "../../device/app/app-api.ts";
import type { AppEvent, Envelope } from "../../device/app/contract.ts";

export type PreloadBridge = {
  api: { [M in keyof AppApi]: (...args: Parameters<AppApi[M]>) => Promise<Envelope<Awaited<ReturnType<AppApi[M]>>>> };
  /** Returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
};

/** IPC channel names, one per method, plus the event channel. */
export const IPC_PREFIX = "massager:";
export const EVENT_CHANNEL = "massager:event";
