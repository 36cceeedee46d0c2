/**
 * The HTTP + WebSocket side of `massager serve`: the built renderer as static files, the app
 * API as `POST /api/<method>` (a JSON array of arguments in, `{ result }` or `{ error }` out),
 * and the app's events on the WebSocket `/api/events`. See SECURITY.md for what it defends
 * against. Every request passes, in order:
 *
 *   rate limit (429) ─► Host is one of ours (403) ─► static file: the page needs `?token=`, its
 *   assets are public ─┐
 *                      └► /api/: POST (405) ─► Origin absent or ours (403) ─► `Authorization:
 *                         Bearer <token>` (401) ─► `Content-Type: application/json` (415) ─►
 *                         body ≤ limit, else 413 and the connection closed unread ─► dispatch
 *
 * The event socket: Host, Origin and the token as the subprotocol `token.<T>` (or the header),
 * at most `maxSockets` at once (503). Headers must arrive within `headersTimeoutMs` and an idle
 * connection is closed after `idleTimeoutMs` (slowloris). No cookie is ever set or read.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { homedir } from "node:os";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { toApiError } from "../app/api-error.ts";
import type { AppApi } from "../app/app-api.ts";
import type { ApiError, AppEvent } from "../app/contract.ts";
import { dispatch } from "../app/dispatch.ts";
import { normaliseHost, type Reachable, reachable } from "./addresses.ts";
import { rateLimit } from "./rate-limit.ts";
import { readStatic } from "./static-files.ts";
import { bearerToken, EVENTS_PROTOCOL, subprotocolToken, tokenMatches } from "./token.ts";

export interface ServeLimits {
  /** Event sockets open at once. Default 16. */
  maxSockets: number;
  /** Request body bytes. Default 1 MB. */
  maxBodyBytes: number;
  /** Time to receive a request's headers, ms. Default 10 000. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, ms. Default 30 000. */
  requestTimeoutMs: number;
  /** A connection with no traffic is closed after this long, ms. Default 60 000. */
  idleTimeoutMs: number;
  /** Sustained requests per second per client address (bursts of twice that). Default 50. */
  requestsPerSecond: number;
}

const DEFAULT_LIMITS: ServeLimits = Object.freeze({
  maxSockets: 16,
  maxBodyBytes: 1_000_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  requestsPerSecond: 50,
});

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
  /** HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  limits?: Partial<ServeLimits>;
  /** Folders whose paths never reach a client (the data folder); the home folder always is one. */
  privatePaths?: string[];
  /** Where a bug's one line goes (a 500 tells the client only that it happened). Default: stderr. */
  log?: (line: string) => void;
  /** The machine's LAN addresses (tests pass their own). */
  lanAddresses?: string[];
}

export interface RunningServer {
  /** The first address the server answers on, e.g. `http://127.0.0.1:8723`. */
  origin: string;
  /** Every base URL a person can open: loopback, then each LAN address for a wildcard --host. */
  urls: string[];
  /** Whether other machines can reach it. */
  lan: boolean;
  port: number;
  close(): Promise<void>;
}

/** The same policy as the renderer's meta tag: only the app's own scripts, styles and API. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A socket that falls this far behind skips telemetry rather than buffering without end. */
const MAX_BUFFERED_BYTES = 256_000;

const HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

function send(response: ServerResponse, status: number, body: string | Buffer, type: string, close = false): void {
  response.writeHead(status, { ...HEADERS, "Content-Type": type, ...(close ? { Connection: "close" } : {}) });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown, close = false): void {
  send(response, status, JSON.stringify(value), "application/json; charset=utf-8", close);
}

function refuse(response: ServerResponse, status: number, code: number, message: string, close = false): void {
  sendJson(response, status, { error: { code, message } }, close);
}

/** The HTTP status an API error maps to. */
function statusOf(error: unknown): number {
  if (!isMassagerError(error)) return 500;
  switch (error.code) {
    case ErrorCode.InvalidOption:
      return 400;
    case ErrorCode.PatternNotFound:
      return 404;
    case ErrorCode.Unauthorized:
      return 401;
    default:
      return 409;
  }
}

/** The body ended past the limit: answered 413, the connection closed. */
class BodyTooLarge extends Error {}

/** Reads at most `limit` bytes; past it stops reading at once (the connection is then closed). */
function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off("data", onData);
        request.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}

/** `application/json`, with or without parameters such as `charset=utf-8`. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** Starts the server; resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { api, token } = options;
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const scheme = options.tls ? "https" : "http";
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const limiter = rateLimit(limits.requestsPerSecond, limits.requestsPerSecond * 2);
  const privatePaths = [...(options.privatePaths ?? []), homedir()].filter((path) => path.length > 1);
  // Known once listening (the port may be 0 until then).
  let names: Reachable = { hosts: new Set(), origins: new Set(), urls: [], lan: false };

  /** An error as a client may see it: no folder of this machine in it, no stack, no detail of a bug. */
  function publicError(error: unknown): ApiError {
    if (!isMassagerError(error)) {
      log(`massager serve: internal error: ${error instanceof Error ? error.message : String(error)}`);
      return { code: 0, message: "internal error in massager serve (details in its terminal)" };
    }
    const scrub = (text: string) =>
      privatePaths.reduce((out, path) => out.split(path).join(path === homedir() ? "~" : "<data folder>"), text);
    const api = toApiError(error);
    return { ...api, message: scrub(api.message), ...(api.hint ? { hint: scrub(api.hint) } : {}) };
  }

  /** Host and Origin: one line saying why, or undefined when both are ours. */
  function foreign(request: IncomingMessage, checkOrigin: boolean): string | undefined {
    const host = normaliseHost(request.headers.host, scheme);
    if (host === undefined || !names.hosts.has(host)) {
      return `403: Host "${request.headers.host ?? ""}" is not an address this server answers on; open the URL \`massager serve\` printed`;
    }
    const origin = request.headers.origin;
    if (checkOrigin && origin !== undefined && !names.origins.has(origin.toLowerCase())) {
      return `403: requests from other sites are refused (Origin ${origin.slice(0, 100)})`;
    }
    return undefined;
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string): Promise<void> {
    if (request.method !== "POST") return refuse(response, 405, ErrorCode.InvalidOption, "use POST");
    if (!tokenMatches(token, bearerToken(request.headers.authorization))) {
      return refuse(
        response,
        401,
        ErrorCode.Unauthorized,
        "401: API calls need the header `Authorization: Bearer <token>` with the token `massager serve` printed",
      );
    }
    if (!isJson(request.headers["content-type"])) {
      return refuse(response, 415, ErrorCode.InvalidOption, "415: API calls need `Content-Type: application/json`");
    }
    const declared = Number(request.headers["content-length"] ?? 0);
    if (declared > limits.maxBodyBytes) {
      // Not a byte of it is read: answer and close.
      return refuse(
        response,
        413,
        ErrorCode.InvalidOption,
        `413: request body over ${limits.maxBodyBytes} bytes`,
        true,
      );
    }
    let args: unknown;
    try {
      const body = await readBody(request, limits.maxBodyBytes);
      args = body.length === 0 ? [] : JSON.parse(body);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        refuse(response, 413, ErrorCode.InvalidOption, `413: request body over ${limits.maxBodyBytes} bytes`, true);
        response.once("finish", () => request.socket.destroy());
        return;
      }
      return refuse(
        response,
        400,
        ErrorCode.InvalidOption,
        "400: the body is not valid JSON (send an array of arguments)",
      );
    }
    try {
      const result = await dispatch(api, method, args);
      sendJson(response, 200, { result: result ?? null });
    } catch (error) {
      sendJson(response, statusOf(error), { error: publicError(error) });
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!limiter.take(request.socket.remoteAddress ?? "")) {
      response.setHeader("Retry-After", "1");
      return refuse(response, 429, ErrorCode.InvalidOption, "429: too many requests; slow down");
    }
    const url = new URL(request.url ?? "/", "http://localhost");
    const isApi = url.pathname.startsWith("/api/");
    const why = foreign(request, isApi);
    if (why)
      return isApi ? refuse(response, 403, ErrorCode.Unauthorized, why) : send(response, 403, `${why}\n`, "text/plain");
    if (isApi) return handleApi(request, response, url.pathname.slice("/api/".length));
    if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, "405\n", "text/plain");
    // The page itself needs the token in its URL (a bookmark keeps it); its scripts and styles
    // are the app's public code and load without it. Nothing here reads or sets a cookie.
    const isPage = url.pathname === "/" || url.pathname === "/index.html";
    if (isPage && !tokenMatches(token, url.searchParams.get("token"))) {
      return send(response, 401, "401: open the URL `massager serve` printed, with its token.\n", "text/plain");
    }
    const file = await readStatic(options.staticDir, url.pathname);
    if (!file) return send(response, 404, "404: not found\n", "text/plain");
    send(response, 200, request.method === "HEAD" ? "" : file.body, file.type);
  }

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: publicError(error) });
      else response.destroy();
    });
  };
  const serverOptions = { connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs) };
  const server: Server = options.tls
    ? createHttpsServer({ ...serverOptions, key: options.tls.key, cert: options.tls.cert }, onRequest)
    : createHttpServer(serverOptions, onRequest);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = 5000;
  // An idle socket (a slow client holding a connection) is closed.
  server.setTimeout(limits.idleTimeoutMs, (socket: Socket) => socket.destroy());

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 64_000,
    handleProtocols: (protocols) => (protocols.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over without its own error listener: a client's reset would be an
    // uncaught exception that ends the server (and stops a playing session).
    socket.on("error", () => socket.destroy());
    const reject = (status: string, line: string) =>
      socket.end(
        `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(line) + 1}\r\n\r\n${line}\n`,
      );
    if (!limiter.take(request.socket.remoteAddress ?? ""))
      return reject("429 Too Many Requests", "429: too many requests");
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== "/api/events") return reject("404 Not Found", "404: not found");
    const why = foreign(request, true);
    if (why) return reject("403 Forbidden", why);
    const given =
      subprotocolToken(request.headers["sec-websocket-protocol"]) ?? bearerToken(request.headers.authorization);
    if (!tokenMatches(token, given)) {
      return reject(
        "401 Unauthorized",
        `401: the event socket needs the subprotocol ${EVENTS_PROTOCOL} and token.<token>`,
      );
    }
    if (sockets.clients.size >= limits.maxSockets) {
      return reject(
        "503 Service Unavailable",
        `503: at most ${limits.maxSockets} event sockets at once; close another tab`,
      );
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachSocket(ws));
  });

  // One listener on the app for every socket (not one each: sixteen would trip Node's
  // MaxListenersExceededWarning and cost a closure per socket per event).
  const forward = (ws: WebSocket, event: AppEvent, text: string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (event.type === "telemetry" && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    ws.send(text);
  };
  const broadcast = (event: AppEvent) => {
    if (sockets.clients.size === 0) return;
    const text = JSON.stringify(event);
    for (const ws of sockets.clients) forward(ws, event, text);
  };
  options.events.on("event", broadcast);

  function attachSocket(ws: WebSocket): void {
    ws.on("error", () => ws.terminate());
    // The socket is push-only; the UI calls the API over HTTP.
    ws.on("message", () => ws.close(1008, "this socket only sends"));
    api
      .getStatus()
      .then((status) => {
        const event: AppEvent = { type: "status", status };
        forward(ws, event, JSON.stringify(event));
      })
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
  names = reachable(options.host, address.port, scheme, options.lanAddresses);
  return {
    origin: names.urls[0] ?? `${scheme}://127.0.0.1:${address.port}`,
    urls: names.urls,
    lan: names.lan,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        options.events.off("event", broadcast);
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
