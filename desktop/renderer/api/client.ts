/**
 * The renderer's one view of the app: the typed API and its events. Two implementations, one
 * type: Electron's preload bridge (IPC) and `massager serve`'s HTTP + WebSocket API.
 */
import type { AppApi } from "../../../device/app/app-api.ts";
import type { AppEvent } from "../../../device/app/contract.ts";
import type { PreloadBridge } from "../../preload/bridge-types.ts";
import { createHttpClient } from "./http-client.ts";
import { createIpcClient } from "./ipc-client.ts";

export interface Client {
  api: AppApi;
  /** Subscribes to the app's events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Whether the event stream is connected (the browser's WebSocket can drop; IPC cannot). */
  onLink(listener: (up: boolean) => void): void;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    massager?: PreloadBridge;
  }
}

/** IPC inside Electron, HTTP with the page's token in a browser. */
export function createClient(): Client {
  if (window.massager) return createIpcClient(window.massager);
  const token = new URL(window.location.href).searchParams.get("token") ?? "";
  return createHttpClient(window.location.origin, token);
}
