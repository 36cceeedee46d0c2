/**
 * The app's UI end to end, in Debian's Chromium driven by playwright-core, against
 * `massager serve` on the simulated massager: a recommendation taken, duration and intensity
 * changed, the session started, watched, paused and stopped (the simulated motors read back
 * at zero), and found in the history; the same with the keyboard only; and the token enforced.
 * Screenshots go to test/artifacts/desktop/.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { connectedDevice } from "../../device/app/connect.ts";
import type { AppStatus } from "../../device/app/contract.ts";
import { createDeviceLister } from "../../device/app/list-devices.ts";
import { RealClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { ensureRendererBuilt, RENDERER_OUT_DIR } from "../../device/serve/renderer-build.ts";
import { startServer } from "../../device/serve/server.ts";
import { dropLines } from "../../device/simulator/behaviours.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { type ServeProcess, startServe } from "../support/serve-process.ts";
import { canRun } from "../support/tools.ts";
import { type Browser, CHROMIUM, chromiumMissing, launchChromium } from "./browser.ts";

const ARTIFACTS = join(import.meta.dirname, "../artifacts/desktop");
const runs = canRun("the browser suite", chromiumMissing() ? [CHROMIUM] : [], "apt-get install chromium");

let dataDir: string;
let serve: ServeProcess;
let browser: Browser;

async function api<T>(method: string, args: unknown[] = [], token = serve.token): Promise<{ status: number; body: T }> {
  const response = await fetch(`${serve.origin}/api/${method}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(args),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as T };
}

async function motors(): Promise<{ vibration: number; rotation: number }> {
  const { body } = await api<{ result: AppStatus }>("getStatus");
  const levels = body.result.device.motors;
  if (!levels) throw new Error("the simulator's motor levels are missing from the status");
  return levels;
}

async function waitForMotors(check: (levels: { vibration: number; rotation: number }) => boolean, what: string) {
  const start = Date.now();
  for (;;) {
    const levels = await motors();
    if (check(levels)) return levels;
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(levels)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

async function number(page: Page, selector: string, attribute: string): Promise<number> {
  return Number(await page.locator(selector).getAttribute(attribute));
}

/** Runs a scenario on a fresh page; on failure saves a screenshot and adds the app's status to the error. */
async function onPage(name: string, scenario: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  try {
    await scenario(page);
    expect(errors).toEqual([]);
  } catch (error) {
    await shot(page, `failed-${name}`).catch(() => undefined);
    const status = await api("getStatus").catch(() => undefined);
    throw new Error(
      `${(error as Error).message}\nstatus: ${JSON.stringify(status?.body)}\npage errors: ${errors.join("; ")}\nserve: ${serve.output()}`,
      { cause: error },
    );
  } finally {
    await page.close();
  }
}

/** Presses Tab until `selector` has the focus: proves it is reachable by keyboard. */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reachable with Tab`);
}

describe.runIf(runs)("the app in a browser, on the simulated massager", () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureRendererBuilt();
    dataDir = await mkdtemp(join(tmpdir(), "massager-e2e-"));
    serve = await startServe(["--data-dir", dataDir, "--device", "sim"]);
    // The one-time safety screen has its own test (browser-phone): these flows start straight away.
    const settings = await api<{ result: { settings: Record<string, unknown> } }>("getSettings");
    await api("saveSettings", [{ ...settings.body.result.settings, safetySeen: true }]);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    const code = await serve?.stop();
    // Ctrl-C on serve stops the motors and exits with 130 (interrupted, motors off).
    expect(code).toBe(130);
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it(
    "takes a recommendation, plays, pauses and stops it, and lists it in the history",
    () =>
      onPage("mouse", async (page) => {
        await page.goto(serve.url);
        await page.getByRole("heading", { name: "What would you like today?" }).waitFor();
        await page.click("[data-goal=hair]");
        await page.click("[data-minutes='10']");
        await page.click("[data-action=recommend]");
        await page.locator("#recommendation").waitFor();
        await expect(page.locator("#recommendation").textContent()).resolves.toContain("Why:");
        await shot(page, "1-recommendation");

        await page.click("[data-action=take-recommendation]");
        await page.locator("#duration").waitFor();
        await page.fill("#duration", "1");
        await page.locator("#duration").press("Enter");
        await page.locator("#duration").blur();
        await expect.poll(() => page.locator("[data-value=minutes]").textContent()).toBe("1:00");
        const intensityBefore = await page.inputValue("#intensity");
        await page.locator("#intensity").focus();
        for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowLeft");
        await expect.poll(() => page.inputValue("#intensity")).toBe(String(Number(intensityBefore) - 10));
        await expect
          .poll(() => page.locator("[data-value=intensity]").textContent())
          .toBe(`${Number(intensityBefore) - 10} %`);
        await page.locator(".chart canvas").first().waitFor();
        const intensityNow = Number(intensityBefore) - 10;
        await page.locator(`[data-plan-minutes='1'][data-plan-intensity='${intensityNow}']`).waitFor();
        await shot(page, "2-setup");

        await page.click("[data-action=start-session]");
        await page.locator("[data-status=playing]").waitFor({ timeout: 10_000 });
        const position0 = await number(page, "progress", "data-position");
        await waitForMotors((m) => m.vibration > 0, "the motors to run");
        await expect
          .poll(() => number(page, "progress", "data-position"), { timeout: 5000 })
          .toBeGreaterThan(position0 + 500);
        await expect.poll(() => number(page, "main .chart", "data-points"), { timeout: 5000 }).toBeGreaterThan(20);
        await expect(page.locator("[data-cue]").textContent()).resolves.toMatch(/\w/);
        await expect(page.locator(".head [data-zone=scalp].active").count()).resolves.toBe(1);
        await page.waitForTimeout(1500);
        await shot(page, "3-live-session");
        // The chart plots the program actually sent: one minute, not the plan from before the change.
        expect(await number(page, "main .chart", "data-duration-s")).toBe(60);

        await page.click("[data-action=pause]");
        await page.locator("[data-status=paused]").waitFor();
        await waitForMotors((m) => m.vibration === 0 && m.rotation === 0, "the motors to ramp down on pause");
        const pausedAt = await number(page, "progress", "data-position");
        await page.waitForTimeout(600);
        expect(await number(page, "progress", "data-position")).toBeLessThan(pausedAt + 100);
        await shot(page, "4-paused");

        await page.click("[data-action=pause]");
        await page.locator("[data-status=playing]").waitFor();
        await waitForMotors((m) => m.vibration > 0, "the motors to run again");
        await page.click("[data-action=stop]");
        await page.getByRole("heading", { name: "Session stopped." }).waitFor({ timeout: 5000 });
        await waitForMotors((m) => m.vibration === 0 && m.rotation === 0, "the motors to stop");
        expect(await motors()).toEqual({ vibration: 0, rotation: 0 });
        await shot(page, "5-stopped");

        await page.click("[data-action=see-history]");
        const row = page.locator("[data-history] tbody tr").first();
        await row.waitFor();
        await expect(row.getAttribute("data-source")).resolves.toBe("daily-hair-care");
        await expect(row.getAttribute("data-completed")).resolves.toBe("false");
        await shot(page, "6-history");
      }),
    90_000,
  );

  it(
    "does the same with the keyboard only",
    () =>
      onPage("keyboard", async (page) => {
        await page.goto(serve.url);
        await page.getByRole("heading", { name: "What would you like today?" }).waitFor();
        await tabTo(page, "[data-goal=relax]");
        await page.keyboard.press("Enter");
        await expect.poll(() => page.getAttribute("[data-goal=relax]", "aria-pressed")).toBe("true");
        await tabTo(page, "[data-action=recommend]");
        await page.keyboard.press("Enter");
        await page.locator("#recommendation").waitFor();
        await tabTo(page, "[data-action=take-recommendation]");
        await page.keyboard.press("Enter");
        await page.locator("#intensity").waitFor();
        await tabTo(page, "[data-action=minutes-down]");
        const minutes = await page.locator("[data-value=minutes]").textContent();
        await page.keyboard.press("Enter");
        await expect.poll(() => page.locator("[data-value=minutes]").textContent()).not.toBe(minutes);
        await tabTo(page, "#intensity");
        const intensity = await page.inputValue("#intensity");
        await page.keyboard.press("ArrowLeft");
        await expect.poll(() => page.inputValue("#intensity")).toBe(String(Number(intensity) - 1));
        await tabTo(page, "[data-action=start-session]");
        await page.keyboard.press("Enter");
        await page.locator("[data-status=playing]").waitFor({ timeout: 10_000 });
        await waitForMotors((m) => m.vibration > 0 || m.rotation !== 0, "the motors to run");

        // The live screen focuses its heading, so Space pauses and resumes, and Esc stops.
        await page.keyboard.press("Space");
        await page.locator("[data-status=paused]").waitFor();
        await shot(page, "7-keyboard-paused");
        await page.keyboard.press("Space");
        await page.locator("[data-status=playing]").waitFor();
        await page.keyboard.press("Escape");
        await page.getByRole("heading", { name: "Session stopped." }).waitFor({ timeout: 5000 });
        await waitForMotors((m) => m.vibration === 0 && m.rotation === 0, "the motors to stop");

        await tabTo(page, "[data-action=see-history]");
        await page.keyboard.press("Enter");
        await expect.poll(() => page.locator("[data-history] tbody tr").count()).toBe(2);
        await expect(page.locator("[data-history] tbody tr").first().getAttribute("data-source")).resolves.toBe(
          "relaxing-head-massage",
        );
        await shot(page, "8-keyboard-history");
      }),
    90_000,
  );

  it(
    "edits, saves and imports patterns, and switches to the dark theme",
    () =>
      onPage("editor", async (page) => {
        await page.goto(`${serve.url}#editor`);
        await page.getByRole("heading", { name: "Your patterns" }).waitFor();
        await page.fill("#p-id", "e2e-circles");
        await page.locator("#p-id").blur();
        await page.fill("#p-name", "E2E circles");
        await page.locator("#p-name").blur();
        // An out-of-range level is caught by the shared schema: listed, and Save is disabled.
        await page.fill("[aria-label='vibration keyframe 1 level']", "3");
        await page.locator("[aria-label='vibration keyframe 1 level']").blur();
        await page.locator("[data-errors]").waitFor();
        await expect(page.locator("[data-errors]").textContent()).resolves.toContain("vibration.0.to");
        await expect(page.isDisabled("[data-action=save-pattern]")).resolves.toBe(true);
        await page.fill("[aria-label='vibration keyframe 1 level']", "0.7");
        await page.locator("[aria-label='vibration keyframe 1 level']").blur();
        await page.locator("[data-errors]").waitFor({ state: "detached" });
        await expect.poll(() => page.locator(".chart").last().getAttribute("data-duration-s")).toBe("30");
        await page.click("[data-action=save-pattern]");
        await page.getByText('Saved "E2E circles"').waitFor();
        await shot(page, "10-editor");
        await page.setInputFiles("#import-file", {
          name: "imported.json",
          mimeType: "application/json",
          buffer: Buffer.from(JSON.stringify({ id: "bad" })),
        });
        await page.getByText(/imported\.json: /).waitFor();
        await page.click("[data-nav=library]");
        await page.locator("[data-card=e2e-circles]").waitFor();
        await expect(page.locator("[data-card=e2e-circles] h3").textContent()).resolves.toBe("E2E circles (yours)");
        const saved = await api<{ result: { pattern: { vibration: { to: number }[] }; custom: boolean } }>(
          "getPattern",
          ["e2e-circles"],
        );
        expect(saved.body.result.custom).toBe(true);
        expect(saved.body.result.pattern.vibration[0]?.to).toBe(0.7);

        await page.click("[data-nav=settings]");
        await page.check("input[name=theme][value=dark]");
        await page.click("[data-action=save-settings]");
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
        await shot(page, "11-settings-dark");
        await page.check("input[name=theme][value=light]");
        await page.click("[data-action=save-settings]");
        await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
      }),
    60_000,
  );

  it("refuses requests and sockets without the right token", async () => {
    expect((await fetch(`${serve.origin}/`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/?token=wrong`)).status).toBe(401);
    expect((await api("getStatus", [], "")).status).toBe(401);
    expect((await api("startSession", [{ sourceId: "scalp-circles", minutes: 1, intensity: 50 }], "x")).status).toBe(
      401,
    );
    expect((await fetch(`${serve.origin}/?token=${serve.token}`)).status).toBe(200);
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${serve.origin.replace("http", "ws")}/api/events?token=nope`);
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
      socket.on("error", () => resolve(-1));
    });
    expect(refused).toBe(401);
    // Nothing moved.
    expect(await motors()).toEqual({ vibration: 0, rotation: 0 });
  });
});

describe.runIf(runs)("a lost device in the browser", () => {
  it("shows as reconnecting while the link is down, keeps the screen live, and recovers", async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureRendererBuilt();
    const dir = await mkdtemp(join(tmpdir(), "massager-e2e-lost-"));
    const clock = new RealClock();
    const sim = createInProcessSimulator({ clock, keepRecord: false });
    const core = new AppCore({
      dataDir: dir,
      connect: async () => {
        const controller = new Controller({ transport: sim.connect, clock, reconnectWindowMs: 30_000 });
        await controller.connect();
        return connectedDevice(controller, "test simulator");
      },
      listDevices: createDeviceLister({ firmata: false }),
    });
    await core.init();
    await core.saveSettings({ ...(await core.settings.get()), safetySeen: true });
    const server = await startServer({
      api: createAppApi(core),
      events: core,
      staticDir: RENDERER_OUT_DIR,
      token: "t0ken-for-this-test",
      host: "127.0.0.1",
      port: 0,
    });
    const lostBrowser = await launchChromium();
    const page = await lostBrowser.context.newPage();
    try {
      await page.goto(`${server.origin}/?token=t0ken-for-this-test`);
      await page.click("[data-action=recommend]");
      await page.click("[data-action=take-recommendation]");
      await page.locator("[data-plan-minutes]").waitFor();
      await page.click("[data-action=start-session]");
      await page.locator("[data-status=playing]").waitFor({ timeout: 10_000 });
      await expect.poll(() => sim.device.core.state.applied.vib, { timeout: 5000 }).toBeGreaterThan(0);
      await page.waitForTimeout(1500);
      // The cable is pulled: nothing gets through either way.
      const reconnect = sim.device.use(dropLines({ direction: "both" }));
      await page.locator("[data-banner=reconnecting]").waitFor({ timeout: 10_000 });
      await expect(page.getAttribute(".device-pill", "data-connection")).resolves.toBe("reconnecting");
      // The device's own watchdog has stopped the motors; the page still answers (Stop is there and enabled).
      await expect.poll(() => sim.device.core.state.applied, { timeout: 3000 }).toEqual({ vib: 0, rot: 0 });
      await expect(page.locator("[data-action=stop]").isEnabled()).resolves.toBe(true);
      await shot(page, "9-reconnecting");
      reconnect();
      await page.locator("[data-banner=reconnecting]").waitFor({ state: "detached", timeout: 15_000 });
      await expect
        .poll(() => page.getAttribute(".device-pill", "data-connection"), { timeout: 5000 })
        .toBe("connected");
      await page.click("[data-action=stop]");
      await expect.poll(() => sim.device.core.state.applied, { timeout: 5000 }).toEqual({ vib: 0, rot: 0 });
    } finally {
      await page.close();
      await lostBrowser.close();
      await core.close();
      await server.close();
      sim.device.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
