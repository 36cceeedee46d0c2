/** The API over Electron IPC, through the preload's bridge. */
import type { AppApi } from "../../../device/app/app-api.ts";
import { API_METHODS, type ApiMethod } from "../../../device/app/contract.ts";
import type { PreloadBridge } from "../../preload/bridge-types.ts";
import { unwrap } from "./call-error.ts";
import type { Client } from "./client.ts";

export function createIpcClient(bridge: PreloadBridge): Client {
  const api = {} as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of API_METHODS) {
    const call = bridge.api[method] as (...args: unknown[]) => Promise<Parameters<typeof unwrap>[0]>;
    api[method] = async (...args) => unwrap(await call(...args));
  }
  return {
    api: api as unknown as AppApi,
    onEvent: (listener) => bridge.onEvent(listener),
    onLink: (listener) => listener(true),
  };
}
