/**
 * The API over IPC: one `ipcMain.handle` per contract method. A call is answered only when it
 * comes from the app's own window showing the app's own page; its arguments then pass the
 * contract's schemas (dispatch). Results and errors travel as Envelopes, so codes survive.
 */
import { toApiError } from "../../device/app/api-error.ts";
import type { AppApi } from "../../device/app/app-api.ts";
import { API_METHODS, type Envelope } from "../../device/app/contract.ts";
import { dispatch } from "../../device/app/dispatch.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { IPC_PREFIX } from "../preload/bridge-types.ts";
import type { ElectronModule, IpcInvokeEventLike } from "./electron-api.ts";

/** Says whether an IPC call comes from the app's own window and page. */
export type SenderCheck = (event: IpcInvokeEventLike) => boolean;

/** Trusts only `webContentsId` while it shows `pageUrl` (query and hash ignored). */
export function trustedSender(getWebContentsId: () => number | undefined, pageUrl: string): SenderCheck {
  const page = stripUrl(pageUrl);
  return (event) => {
    const id = getWebContentsId();
    const frameUrl = event.senderFrame?.url;
    return id !== undefined && event.sender.id === id && frameUrl !== undefined && stripUrl(frameUrl) === page;
  };
}

function stripUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    parsed.search = "";
    return parsed.href;
  } catch {
    return undefined;
  }
}

/** Registers every API method; returns the function that removes them. */
export function registerIpc(ipcMain: ElectronModule["ipcMain"], api: AppApi, isTrusted: SenderCheck): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(IPC_PREFIX + method, async (event, ...args): Promise<Envelope<unknown>> => {
      if (!isTrusted(event)) {
        return {
          ok: false,
          error: toApiError(
            new MassagerError(ErrorCode.Unauthorized, `IPC call ${method} from an unknown sender refused`),
          ),
        };
      }
      try {
        return { ok: true, result: await dispatch(api, method, args) };
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    });
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(IPC_PREFIX + method);
  };
}
