/**
 * The API over `massager serve`: each call is `POST /api/<method>` with the token in the
 * Authorization header; events arrive on a WebSocket (the token in its subprotocol list, as a
 * browser cannot set its headers) that reconnects when it drops. No cookie is involved.
 */
import type { AppApi } from "../../../device/app/app-api.ts";
import { API_METHODS, type ApiError, type ApiMethod, type AppEvent } from "../../../device/app/contract.ts";
import { ErrorCode } from "../../../protocol/errors.ts";
import { ApiCallError } from "./call-error.ts";
import type { Client } from "./client.ts";

const RECONNECT_MS = 1000;

export function createHttpClient(origin: string, token: string): Client {
  const api = {} as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of API_METHODS) {
    api[method] = async (...args) => {
      let response: Response;
      try {
        response = await fetch(`${origin}/api/${method}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify(args),
        });
      } catch {
        throw new ApiCallError({
          code: ErrorCode.Disconnected,
          message: "the massager server does not answer",
          hint: "check that `massager serve` is still running",
        });
      }
      if (response.status === 401) {
        throw new ApiCallError({
          code: ErrorCode.Unauthorized,
          message: "the server refused the access token",
          hint: "open the URL `massager serve` printed, with its token",
        });
      }
      const body = (await response.json()) as { result?: unknown; error?: ApiError };
      if (!response.ok) throw new ApiCallError(body.error ?? { code: 0, message: `HTTP ${response.status}` });
      return body.result;
    };
  }

  const listeners = new Set<(event: AppEvent) => void>();
  const linkListeners = new Set<(up: boolean) => void>();
  const wsUrl = `${origin.replace(/^http/, "ws")}/api/events`;
  const open = () => {
    // device/serve/token.ts: the protocol the server selects, and the token beside it.
    const socket = new WebSocket(wsUrl, ["massager.v1", `token.${token}`]);
    socket.addEventListener("open", () => {
      for (const listener of linkListeners) listener(true);
    });
    socket.addEventListener("message", (message) => {
      const event = JSON.parse(String(message.data)) as AppEvent;
      for (const listener of listeners) listener(event);
    });
    socket.addEventListener("close", () => {
      for (const listener of linkListeners) listener(false);
      setTimeout(open, RECONNECT_MS);
    });
  };
  open();

  return {
    api: api as unknown as AppApi,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onLink(listener) {
      linkListeners.add(listener);
    },
  };
}
