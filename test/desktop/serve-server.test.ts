/**
 * The `massager serve` HTTP side without a browser: the token for the page and the API, no
 * cookie, security headers, API errors as codes, and no file outside the built renderer.
 */

import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeviceLister } from "../../device/app/list-devices.ts";
import type { RunningServer } from "../../device/serve/server.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { type AppServer, startAppServer } from "../support/app-server.ts";

const TOKEN = "a-test-token-of-some-length";
let app: AppServer;
let server: RunningServer;

/** A raw GET, so paths like `/%2e%2e/` reach the server as written. */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(`${server.origin}${path}`, { headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    },
  );
}

async function post(method: string, body: string, token = TOKEN) {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body,
  });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as Record<string, unknown> };
}

beforeAll(async () => {
  app = await startAppServer({
    token: TOKEN,
    folder: "massager-serve-",
    core: { listDevices: createDeviceLister({ firmata: false }) },
  });
  server = app.server;
}, 60_000);

afterAll(() => app.close());

describe("massager serve over HTTP", () => {
  it("serves the page with its token and its public assets without one, sets no cookie, and sends the CSP", async () => {
    const page = await get(`/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    // Only the app's own scripts, styles and API; no inline script, no framing, no form posts.
    const policy = String(page.headers["content-security-policy"]).split("; ");
    expect(policy).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'none'",
      ]),
    );
    expect(policy.join("; ")).not.toContain("unsafe");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.headers["set-cookie"]).toBeUndefined();
    const script = page.body.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await get(`/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers["content-type"]).toContain("javascript");
  });

  it("refuses the page and the API without the token, and never serves files outside the build", async () => {
    for (const path of ["/", "/index.html", `/?token=${TOKEN}x`]) {
      expect((await get(path)).status, path).toBe(401);
    }
    for (const path of ["/%2e%2e/package.json", "/..%2fpackage.json", "/%2e%2e%2f%2e%2e%2fpackage.json"]) {
      expect((await get(path, { authorization: `Bearer ${TOKEN}` })).status, path).toBe(404);
    }
  });

  it("answers API calls with results, and refusals with their code", async () => {
    const settings = await post("getSettings", "[]");
    expect(settings.status).toBe(200);
    expect(settings.json.result).toHaveProperty("settings");
    expect(await post("getSettings", "[]", "wrong")).toMatchObject({ status: 401 });
    expect(await post("noSuchMethod", "[]")).toMatchObject({
      status: 400,
      json: { error: { code: ErrorCode.InvalidOption } },
    });
    expect(await post("getSettings", "{not json")).toMatchObject({ status: 400 });
    expect(await post("getSettings", `[${"0,".repeat(600_000)}0]`)).toMatchObject({
      status: 413,
      json: { error: { code: ErrorCode.InvalidOption } },
    });
    expect(
      await post("startSession", JSON.stringify([{ sourceId: "scalp-circles", minutes: 1, intensity: 101 }])),
    ).toMatchObject({
      status: 400,
      json: { error: { code: ErrorCode.InvalidOption } },
    });
    expect(
      await post("planSession", JSON.stringify([{ sourceId: "no-such-thing", minutes: 1, intensity: 50 }])),
    ).toMatchObject({
      status: 404,
      json: { error: { code: ErrorCode.PatternNotFound } },
    });
    const get405 = await fetch(`${server.origin}/api/getSettings`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(get405.status).toBe(405);
  });
});
