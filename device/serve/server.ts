/**
 * The HTTP + WebSocket side of `massager serve`: the built renderer as static files, the app
 * API as `POST /api/<method>` (a JSON array of arguments in, `{ result }` or `{ error }` out),
 * and the app's events on the WebSocket `/api/events`. Every request and socket must carry the
 * access token (Authorization header, `?token=` or the cookie set when the page loads);
 * anything else gets 401.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import type { AppApi } from "../app/app-api.ts";
import { toApiError } from "../app/app-core.ts";
import type { AppEvent } from "../app/contract.ts";
import { dispatch } from "../app/dispatch.ts";
import { readStatic } from "./static-files.ts";
import { TOKEN_COOKIE, tokenMatches, tokenOf } from "./token.ts";

export interface ServeOptions {
  api: AppApi;
  /** Where the app's events come from (an AppCore). */
  events: {
    on(name: "event", listener: (event: AppEvent) => void): unknown;
    off(name: "event", listener: (event: AppEvent) => void): unknown;
  };
  /** The built renderer folder. */
  staticDir: string;
  token: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningServer {
  /** The address the server listens on, e.g. `http://127.0.0.1:8723`. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** The same policy as the renderer's meta tag: only the app's own scripts, styles and API. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_BODY_BYTES = 1_000_000;
/** A socket that falls this far behind skips telemetry rather than buffering without end. */
const MAX_BUFFERED_BYTES = 256_000;

function send(response: ServerResponse, status: number, body: string | Buffer, type: string): void {
  response.writeHead(status, {
    "Content-Type": type,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), "application/json; charset=utf-8");
}

/** A body over MAX_BODY_BYTES: answered 413. */
class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped (not left unread), so the client gets its 413
  // instead of a reset connection; only callers holding the token get this far.
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`request body over ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { api, token } = options;

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== "POST") return sendJson(response, 405, { error: { code: 0, message: "use POST" } });
    let args: unknown;
    try {
      const body = await readBody(request);
      args = body.length === 0 ? [] : JSON.parse(body);
    } catch (error) {
      const status = error instanceof BodyTooLarge ? 413 : 400;
      return sendJson(response, status, {
        error: { code: ErrorCode.InvalidOption, message: (error as Error).message },
      });
    }
    try {
      const result = await dispatch(api, method, args);
      sendJson(response, 200, { result: result ?? null });
    } catch (error) {
      const status = isMassagerError(error, ErrorCode.InvalidOption) ? 400 : isMassagerError(error) ? 409 : 500;
      sendJson(response, status, { error: toApiError(error) });
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const given = tokenOf(request.headers, url);
    if (!tokenMatches(token, given)) {
      return send(response, 401, "401: this page needs the access token printed by `massager serve`.\n", "text/plain");
    }
    if (url.pathname.startsWith("/api/")) return handleApi(request, response, url.pathname.slice("/api/".length));
    if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, "405\n", "text/plain");
    const file = await readStatic(options.staticDir, url.pathname);
    if (!file) return send(response, 404, "404: not found\n", "text/plain");
    if (url.searchParams.has("token")) {
      // The page's own scripts and styles load without the query string; the cookie carries the token for them.
      response.setHeader("Set-Cookie", `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    send(response, 200, file.body, file.type);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: toApiError(error) });
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64_000 });
  server.on("upgrade", (request, socket, head) => {
    // Node hands the socket over without its own error listener: a client's reset would be an
    // uncaught exception that ends the server (and stops a playing session).
    socket.on("error", () => socket.destroy());
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== "/api/events" || !tokenMatches(token, tokenOf(request.headers, url))) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachSocket(ws));
  });

  function attachSocket(ws: WebSocket): void {
    const forward = (event: AppEvent) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (event.type === "telemetry" && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
      ws.send(JSON.stringify(event));
    };
    options.events.on("event", forward);
    ws.on("close", () => options.events.off("event", forward));
    ws.on("error", () => ws.terminate());
    // The socket is push-only; the UI calls the API over HTTP.
    ws.on("message", () => ws.close(1008, "this socket only sends"));
    api
      .getStatus()
      .then((status) => forward({ type: "status", status }))
      .catch(() => ws.close(1011, "status unavailable"));
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port));
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    origin: `http://${hostInUrl}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A failed listen as one line with its fix (a busy port is the usual one). */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): MassagerError {
  const where = `${host}:${port}`;
  if (error.code === "EADDRINUSE") {
    return new MassagerError(ErrorCode.PortBusy, `cannot serve on ${where}: the port is in use`, {
      hint: "choose another --port (0 picks a free one), or stop the program using it",
      cause: error,
    });
  }
  return new MassagerError(ErrorCode.TransportFailed, `cannot serve on ${where}: ${error.message}`, {
    hint: "check --host and --port",
    cause: error,
  });
}
