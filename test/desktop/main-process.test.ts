/**
 * The Electron main process against a hand-written fake electron module: the window's
 * security options, navigation and permission lockdown, the IPC handlers, their sender
 * checks and argument validation, and the motors stopping on window close and on quit.
 * The device is the real controller on the in-process simulator, which outlives the app's
 * link so the test can read what its motors do after the app let go.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DesktopApp, startDesktopApp } from "../../desktop/main/desktop-app.ts";
import { EVENT_CHANNEL, IPC_PREFIX } from "../../desktop/preload/bridge-types.ts";
import { connectedDevice } from "../../device/app/connect.ts";
import { API_METHODS, type ApiMethod, type Envelope } from "../../device/app/contract.ts";
import { SIMULATOR_CHOICE } from "../../device/app/list-devices.ts";
import { RealClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../../device/simulator/in-process.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { createFakeElectron, FakeBrowserWindow, type FakeElectron, FakeEvent } from "./fake-electron.ts";

const PAGE = "/opt/massager/renderer/index.html";
const PRELOAD = "/opt/massager/preload/preload.cjs";
const SESSION = { sourceId: "scalp-circles", minutes: 0.5, intensity: 60 };

let dir: string;
let electron: FakeElectron;
let sim: InProcessSimulator;
let app: DesktopApp;
let window: FakeBrowserWindow;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const motors = () => sim.device.core.state.applied;

function fromApp() {
  return { sender: { id: window.webContents.id }, senderFrame: { url: pathToFileURL(PAGE).href } };
}

async function call(method: ApiMethod, ...args: unknown[]): Promise<Envelope<unknown>> {
  return (await electron.ipcMain.invoke(IPC_PREFIX + method, fromApp(), ...args)) as Envelope<unknown>;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "massager-main-"));
  electron = createFakeElectron(dir);
  const clock = new RealClock();
  sim = createInProcessSimulator({ clock, keepRecord: false });
  app = await startDesktopApp(electron, {
    preloadPath: PRELOAD,
    pagePath: PAGE,
    connect: async () => {
      const controller = new Controller({ transport: sim.connect, clock });
      await controller.connect();
      return connectedDevice(controller, "test simulator", {
        motorLevels: () => ({ vibration: motors().vib / 1000, rotation: motors().rot / 1000 }),
      });
    },
    listDevices: async () => ({ choices: [SIMULATOR_CHOICE], problems: [] }),
  });
  const created = FakeBrowserWindow.created.at(-1);
  if (!created) throw new Error("no window");
  window = created;
});

afterEach(async () => {
  await app.shutdown();
  sim.device.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the window", () => {
  it("is sandboxed and isolated, without Node, and loads the app's own page", () => {
    const prefs = window.options.webPreferences;
    expect(prefs).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: "Auxclick",
    });
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(window.loadedFile).toBe(PAGE);
  });

  it("denies navigation, new windows, webviews and every permission", () => {
    const navigate = new FakeEvent();
    window.webContents.emit("will-navigate", navigate, "https://example.com/");
    expect(navigate.defaultPrevented).toBe(true);
    const webview = new FakeEvent();
    window.webContents.emit("will-attach-webview", webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(window.webContents.windowOpenHandler?.({ url: "https://example.com/" })).toEqual({ action: "deny" });
    let granted: boolean | undefined;
    electron.permissionRequest?.(window.webContents, "media", (answer) => {
      granted = answer;
    });
    expect(granted).toBe(false);
    expect(electron.permissionCheck?.(window.webContents, "notifications")).toBe(false);
  });

  it("locks down any other web contents created later", () => {
    const other = new FakeBrowserWindow(window.options).webContents;
    electron.app.emit("web-contents-created", {}, other);
    const navigate = new FakeEvent();
    other.emit("will-navigate", navigate, "file:///etc/passwd");
    expect(navigate.defaultPrevented).toBe(true);
    expect(other.windowOpenHandler?.({ url: "https://example.com/" })).toEqual({ action: "deny" });
  });
});

describe("IPC", () => {
  it("has one handler per API method and no other", () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => IPC_PREFIX + m).sort());
  });

  it("answers the app's own window", async () => {
    const reply = await call("getSettings");
    expect(reply.ok).toBe(true);
  });

  it.each([
    [
      "another web contents",
      () => ({ sender: { id: window.webContents.id + 1000 }, senderFrame: { url: pathToFileURL(PAGE).href } }),
    ],
    [
      "a remote page in the window",
      () => ({ sender: { id: window.webContents.id }, senderFrame: { url: "https://evil.example/" } }),
    ],
    [
      "another local file",
      () => ({ sender: { id: window.webContents.id }, senderFrame: { url: "file:///tmp/evil.html" } }),
    ],
    ["a frame that is gone", () => ({ sender: { id: window.webContents.id }, senderFrame: null })],
  ])("refuses calls from %s", async (_what, sender) => {
    for (const method of ["getStatus", "startSession", "emergencyStop"] as const) {
      const reply = (await electron.ipcMain.invoke(IPC_PREFIX + method, sender(), SESSION)) as Envelope<unknown>;
      expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.Unauthorized } });
    }
    expect(motors()).toEqual({ vib: 0, rot: 0 });
  });

  it("refuses wrong arguments to every method", async () => {
    for (const method of API_METHODS) {
      // One argument too many is wrong for every method; a number is wrong for every argument.
      const tooMany = await call(method, ...new Array(3).fill(7));
      expect(tooMany, method).toMatchObject({ ok: false, error: { code: ErrorCode.InvalidOption } });
    }
  });

  it.each<[ApiMethod, unknown[]]>([
    ["startSession", [{ ...SESSION, intensity: 500 }]],
    ["startSession", [{ ...SESSION, sourceId: "../../etc/passwd" }]],
    ["startSession", [{ ...SESSION, extra: true }]],
    ["planSession", [{ ...SESSION, minutes: -1 }]],
    ["recommend", [{ goal: "sleep", minutes: 5 }]],
    ["connectDevice", ["sim; rm -rf /"]],
    ["savePattern", [{ id: "x", name: "no keyframes" }]],
    ["deletePattern", ["../settings"]],
    ["saveSettings", [{ maxIntensity: 1000, maxSessionMinutes: 30, defaultDevice: "sim", theme: "light" }]],
    ["previewPattern", [{ pattern: {}, minutes: 1 }]],
  ])("refuses %s(%j)", async (method, args) => {
    const reply = await call(method, ...args);
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.InvalidOption } });
    expect(motors()).toEqual({ vib: 0, rot: 0 });
  });

  it("plays a session and pushes status and telemetry to the window", async () => {
    const reply = await call("startSession", SESSION);
    expect(reply).toMatchObject({ ok: true });
    await waitFor(() => motors().vib > 0, "the motors to run");
    await waitFor(
      () => window.webContents.sent.some((m) => (m.args[0] as { type: string }).type === "telemetry"),
      "telemetry",
    );
    expect(window.webContents.sent.every((m) => m.channel === EVENT_CHANNEL)).toBe(true);
    const status = (await call("getStatus")) as Envelope<{ session?: { status: string } }>;
    expect(status.ok && status.result.session?.status).toMatch(/playing|uploading/);
  });
});

describe("stopping the motors", () => {
  it("stops them before the window closes", async () => {
    await call("startSession", SESSION);
    await waitFor(() => motors().vib > 0, "the motors to run");
    const closedAt = Date.now();
    const event = window.userClose();
    expect(event.defaultPrevented).toBe(true);
    await waitFor(() => window.destroyed, "the window to close");
    expect(motors()).toEqual({ vib: 0, rot: 0 });
    // Stopped by the app (HOST or ESTOP), not by the device's own 1 s watchdog: the reason says so.
    // The wall-clock bound only rules out a hang (a loaded machine may take over a second).
    expect(["HOST", "ESTOP"]).toContain(sim.device.core.state.reason);
    expect(Date.now() - closedAt).toBeLessThan(5000);
    // The history entry is written just after the session's end is announced: wait for it.
    await expect
      .poll(async () => (await app.core.history.list())[0])
      .toMatchObject({ sourceId: "scalp-circles", completed: false });
  });

  it("stops them before the app quits", async () => {
    await call("startSession", SESSION);
    await waitFor(() => motors().vib > 0, "the motors to run");
    electron.app.quit();
    expect(electron.app.exitCode).toBeUndefined();
    await waitFor(() => electron.app.exitCode !== undefined, "the app to exit");
    expect(electron.app.exitCode).toBe(0);
    expect(motors()).toEqual({ vib: 0, rot: 0 });
    expect(["HOST", "ESTOP"]).toContain(sim.device.core.state.reason);
  });

  it("cuts them at once when the page crashes", async () => {
    await call("startSession", SESSION);
    await waitFor(() => motors().vib > 0, "the motors to run");
    window.webContents.emit("render-process-gone", {}, { reason: "crashed" });
    await waitFor(() => motors().vib === 0 && motors().rot === 0, "the motors to stop", 500);
    expect(sim.device.core.state.reason).toBe("ESTOP");
  });
});
