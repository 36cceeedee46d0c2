/**
 * The Electron entry (bundled to desktop/out/main/index.mjs). It owns the process: it passes
 * the real electron module to the app, and on a crash of this process stops the motors at
 * once before exiting (the device's watchdog is the last line if even that fails).
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import electron from "electron";
import { createConnector } from "../../device/app/connect.ts";
import { createDeviceLister, scanBluetooth } from "../../device/app/list-devices.ts";
import { RealClock } from "../../device/clock.ts";
import { resolveHciSpec } from "../../device/transport/ble/hci-spec.ts";
import type { DesktopApp } from "./desktop-app.ts";
import { startDesktopApp } from "./desktop-app.ts";
import type { ElectronModule } from "./electron-api.ts";

const here = dirname(fileURLToPath(import.meta.url));
const deviceArg = process.argv.find((arg) => arg.startsWith("--device="))?.slice("--device=".length);

let running: DesktopApp | undefined;

function crash(error: unknown): void {
  process.stderr.write(`massager app: ${error instanceof Error ? error.message : String(error)}\n`);
  const stopped = running ? running.core.emergencyStop().then(() => running?.shutdown()) : Promise.resolve();
  void stopped.finally(() => electron.app.exit(70));
}
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

const real: ElectronModule = electron;
const clock = new RealClock();
running = await startDesktopApp(real, {
  preloadPath: join(here, "../preload/preload.cjs"),
  pagePath: join(here, "../renderer/index.html"),
  clock,
  connect: createConnector({ clock }),
  listDevices: createDeviceLister({ firmata: false }),
  scanBluetooth: () => scanBluetooth(resolveHciSpec(undefined, process.env)),
  ...(deviceArg ? { device: deviceArg } : {}),
});
