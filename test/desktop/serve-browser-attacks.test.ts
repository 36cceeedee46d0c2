/**
 * A malicious page in the person's own browser, while the app is open in another tab: served
 * from another port of 127.0.0.1 and from `localhost`, it tries everything a page can send to
 * the app's server (fetch with CORS and without, a form POST, sendBeacon, a WebSocket), once
 * without the token and once as if the token had leaked to it. Nothing may start and nothing may
 * be read. Chromium through playwright-core (test/desktop/browser.ts). See SECURITY.md.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppCore } from "../../device/app/app-core.ts";
import type { RunningServer } from "../../device/serve/server.ts";
import { type AppServer, startAppServer } from "../support/app-server.ts";
import { type Browser, chromiumMissing, launchChromium } from "./browser.ts";

const TOKEN = "Attack-test-token_0123456";
const missing = chromiumMissing();
const runs = missing === undefined || process.env.CI === "true";

/** The attack, as the page's script: every way a page can reach another origin, results in window.results. */
function attackPage(target: string, token: string | undefined): string {
  const script = `
const target = ${JSON.stringify(target)};
const token = ${JSON.stringify(token ?? "")};
const body = JSON.stringify([{ sourceId: "scalp-circles", minutes: 1, intensity: 100 }]);
const results = {};
const auth = token ? { Authorization: "Bearer " + token } : {};
async function attempt(name, run) {
  try { results[name] = await run(); } catch (error) { results[name] = "refused: " + String(error).slice(0, 80); }
}
(async () => {
  await attempt("cors", async () => {
    const r = await fetch(target + "/api/startSession", { method: "POST", mode: "cors", credentials: "include",
      headers: { "Content-Type": "application/json", ...auth }, body });
    return "read " + r.status + " " + (await r.text()).slice(0, 80);
  });
  await attempt("corsRead", async () => {
    const r = await fetch(target + "/api/getStatus", { method: "POST", mode: "cors", credentials: "include",
      headers: { "Content-Type": "application/json", ...auth }, body: "[]" });
    return "read " + r.status + " " + (await r.text()).slice(0, 80);
  });
  await attempt("noCors", async () => {
    const r = await fetch(target + "/api/startSession" + (token ? "?token=" + token : ""), { method: "POST",
      mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain", ...auth }, body });
    return "opaque " + r.type + " " + r.status;
  });
  await attempt("beacon", async () =>
    "queued " + navigator.sendBeacon(target + "/api/startSession", new Blob([body], { type: "text/plain" })));
  await attempt("form", async () => {
    const frame = document.createElement("iframe");
    frame.name = "sink";
    document.body.append(frame);
    const form = document.createElement("form");
    form.method = "POST";
    form.enctype = "text/plain";
    form.target = "sink";
    form.action = target + "/api/startSession" + (token ? "?token=" + token : "");
    const field = document.createElement("input");
    field.name = body.slice(0, -2);
    field.value = "]";
    form.append(field);
    document.body.append(form);
    form.submit();
    await new Promise((resolve) => setTimeout(resolve, 500));
    try { return "read " + frame.contentDocument?.body?.innerText; } catch { return "unreadable frame"; }
  });
  await attempt("socket", () => new Promise((resolve) => {
    const ws = new WebSocket(target.replace("http", "ws") + "/api/events", token ? ["massager.v1", "token." + token] : []);
    let got = 0;
    ws.onmessage = () => { got++; };
    ws.onopen = () => setTimeout(() => resolve("opened, " + got + " messages"), 500);
    ws.onerror = () => resolve("refused");
  }));
  window.results = results;
})();`;
  return `<!doctype html><html><body><p>cute cats</p><script>${script}</script></body></html>`;
}

let served: AppServer | undefined;
let core: AppCore;
let app: RunningServer;
let attacker: Server;
let attackerPort: number;
let browser: Browser;
const startCalls: string[] = [];

beforeAll(async () => {
  if (!runs) return;
  served = await startAppServer({
    token: TOKEN,
    folder: "massager-attacks-",
    // Every call that would reach the app: none from the attacker may get this far.
    api: (api) => ({
      ...api,
      startSession: (...args: Parameters<typeof api.startSession>) => {
        startCalls.push(JSON.stringify(args));
        return api.startSession(...args);
      },
    }),
    server: { log: () => undefined },
  });
  ({ core, server: app } = served);
  attacker = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    response.writeHead(200, { "Content-Type": "text/html" });
    response.end(attackPage(app.origin, url.searchParams.get("leaked") ?? undefined));
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  if (!runs) return;
  await browser?.close();
  await served?.close();
  await new Promise((resolve) => attacker?.close(resolve));
});

describe.runIf(runs)("a malicious page in the person's browser, with the app open in another tab", () => {
  for (const site of ["127.0.0.1", "localhost"]) {
    for (const leaked of [false, true]) {
      it(`from http://${site}:<other port>, ${leaked ? "even knowing the token" : "without the token"}: nothing starts, nothing is read`, async () => {
        const appTab = await browser.context.newPage();
        await appTab.goto(`${app.origin}/?token=${TOKEN}`);
        await appTab.locator("body").waitFor();
        const evil = await browser.context.newPage();
        const query = leaked ? `?leaked=${TOKEN}` : "";
        await evil.goto(`http://${site}:${attackerPort}/${query}`);
        const results = (await evil
          .waitForFunction(() => (window as unknown as { results?: unknown }).results, undefined, {
            timeout: 20_000,
          })
          .then((handle) => handle.jsonValue())) as Record<string, string>;
        // Give a beacon or a form time to land, had it been accepted.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const detail = JSON.stringify(results);
        expect(startCalls, detail).toEqual([]);
        expect(core.getStatus().session, detail).toBeUndefined();
        expect(core.getStatus().device.motors ?? { vibration: 0, rotation: 0 }, detail).toEqual({
          vibration: 0,
          rotation: 0,
        });
        // Nothing readable came back: CORS refused, the no-cors answer is opaque, the socket never opened.
        expect(results.cors, detail).toMatch(/^refused/);
        expect(results.corsRead, detail).toMatch(/^refused/);
        expect(results.noCors, detail).toMatch(/^(opaque opaqueredirect|opaque opaque 0|refused)/);
        expect(results.form, detail).not.toMatch(/"result"/);
        expect(results.socket, detail).toBe("refused");
        await evil.close();
        await appTab.close();
      }, 60_000);
    }
  }

  it("the app's own tab still works: its calls and its event socket pass the same checks", async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${app.origin}/?token=${TOKEN}`);
    const status = await tab.evaluate(async (token) => {
      const reply = await fetch("/api/getStatus", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: "[]",
      });
      const socket = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace("http", "ws")}/api/events`, [
          "massager.v1",
          `token.${token}`,
        ]);
        ws.onmessage = (message) => resolve(JSON.parse(String(message.data)).type);
        ws.onerror = () => resolve("refused");
      });
      return { http: reply.status, socket };
    }, TOKEN);
    expect(status).toEqual({ http: 200, socket: "status" });
    await tab.close();
  }, 60_000);
});
