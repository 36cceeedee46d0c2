/**
 * The preload: the only bridge between the sandboxed renderer and the main process. It
 * exposes one narrow object, `window.massager`, with a function per API method (derived from
 * the contract's method list) and an event subscription; never ipcRenderer itself.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from "electron";
import { API_METHODS, type AppEvent } from "../../device/app/contract.ts";
import { EVENT_CHANNEL, IPC_PREFIX, type PreloadBridge } from "./bridge-types.ts";

const api = Object.fromEntries(
  API_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(IPC_PREFIX + method, ...args)]),
) as PreloadBridge["api"];

const bridge: PreloadBridge = {
  api,
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, payload: AppEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld("massager", bridge);
