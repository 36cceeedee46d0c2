/**
 * The Electron main process, with the electron module injected (index.ts passes the real
 * one; tests pass a fake). It owns one AppCore (device, session, stores), one window, and the
 * IPC handlers. Closing the window or quitting stops the motors first and waits for it.
 *
 *   app ready ─► AppCore ─► window (sandboxed, preload) ─► IPC handlers (sender-checked)
 *   window close / before-quit ─► core.close(): soft stop, emergency stop if it hangs ─► quit
 */
import { pathToFileURL } from "node:url";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import type { DeviceConnector } from "../../device/app/connected-device.ts";
import type { AppEvent } from "../../device/app/contract.ts";
import type { DeviceLister } from "../../device/app/list-devices.ts";
import type { ReminderTime } from "../../device/app/reminders.ts";
import type { Clock } from "../../device/clock.ts";
import { EVENT_CHANNEL } from "../preload/bridge-types.ts";
import type { BrowserWindowLike, ElectronModule } from "./electron-api.ts";
import { registerIpc, trustedSender } from "./ipc.ts";
import { KeepAwake } from "./keep-awake.ts";
import { DesktopReminders } from "./reminders.ts";
import { createMainWindow, lockDown } from "./window.ts";

export interface DesktopAppOptions {
  /** Absolute paths of the built preload script and renderer page. */
  preloadPath: string;
  pagePath: string;
  /** The clock `connect`'s controllers run on, for the app core's timers too; default RealClock. */
  clock?: Clock;
  connect: DeviceConnector;
  listDevices: DeviceLister;
  scanBluetooth?: DeviceLister;
  /** Where settings and history live; default Electron's userData folder. */
  dataDir?: string;
  /** Device to connect at start (e.g. from --device); default the settings' default device when a session starts. */
  device?: string;
  /** Wall-clock time and timers for the daily reminders; default the system's (tests pass a virtual clock). */
  reminderTime?: ReminderTime;
}

export interface DesktopApp {
  core: AppCore;
  /** The display stays awake while a session plays. */
  keepAwake: KeepAwake;
  reminders: DesktopReminders;
  /** The window, once created. */
  window(): BrowserWindowLike | undefined;
  /** Stops the motors and closes the device (idempotent); quitting calls it. */
  shutdown(): Promise<void>;
}

/** Starts the app once Electron is ready; resolves when the window is loading. */
export async function startDesktopApp(electron: ElectronModule, options: DesktopAppOptions): Promise<DesktopApp> {
  const { app, BrowserWindow, ipcMain, session } = electron;
  app.enableSandbox();
  // Every web contents, whoever creates it, may not navigate, open windows or attach webviews.
  app.on("web-contents-created", (_event, contents) => lockDown(contents));
  await app.whenReady();

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const core = new AppCore({
    dataDir: options.dataDir ?? app.getPath("userData"),
    ...(options.clock ? { clock: options.clock } : {}),
    connect: options.connect,
    listDevices: options.listDevices,
    ...(options.scanBluetooth ? { scanBluetooth: options.scanBluetooth } : {}),
  });
  await core.init();

  let shutdown: Promise<void> | undefined;
  const stopEverything = (): Promise<void> => {
    shutdown ??= core.close().catch(() => undefined);
    return shutdown;
  };

  const window = createMainWindow(BrowserWindow, options.preloadPath);
  lockDown(window.webContents);
  const pageUrl = pathToFileURL(options.pagePath).href;
  const unregister = registerIpc(
    ipcMain,
    createAppApi(core),
    trustedSender(() => (window.isDestroyed() ? undefined : window.webContents.id), pageUrl),
  );

  const keepAwake = new KeepAwake(electron.powerSaveBlocker);
  const reminders = new DesktopReminders(
    electron.Notification,
    () => {
      if (!window.isDestroyed()) window.show();
    },
    options.reminderTime,
  );
  reminders.update((await core.settings.get().catch(() => undefined))?.reminders ?? { enabled: false, times: [] });

  const forward = (event: AppEvent) => {
    if (event.type === "status") keepAwake.update(event.status.session !== undefined);
    if (event.type === "settings") reminders.update(event.settings.reminders);
    if (!window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  };
  core.on("event", forward);

  // A crashed or killed page cannot press Stop: stop for it.
  window.webContents.on("render-process-gone", () => {
    void core.emergencyStop().catch(() => undefined);
  });

  let closing = false;
  window.on("close", (event) => {
    if (closing) return;
    // Keep the window until the motors are stopped, then let it go.
    event.preventDefault();
    closing = true;
    void stopEverything().then(() => window.destroy());
  });
  window.on("closed", () => {
    core.off("event", forward);
    keepAwake.update(false);
    reminders.stop();
    unregister();
  });
  window.once("ready-to-show", () => window.show());

  app.on("window-all-closed", () => app.quit());
  let quitting = false;
  app.on("before-quit", (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void stopEverything().then(() => app.exit(0));
  });

  if (options.device) await core.connect(options.device).catch(() => undefined);
  await window.loadFile(options.pagePath);
  return {
    core,
    keepAwake,
    reminders,
    window: () => (window.isDestroyed() ? undefined : window),
    shutdown: stopEverything,
  };
}
