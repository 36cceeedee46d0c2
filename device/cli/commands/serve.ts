/**
 * `massager serve [--port N] [--host H] [--device SPEC] [--data-dir DIR]`: the desktop app's
 * UI in a browser, with the controller behind it. Listens on 127.0.0.1 unless --host says
 * otherwise; every request needs the random token in the printed URL. Ctrl-C stops the
 * motors, closes the device and the server (exit 130); so does a bug that escapes every
 * try/catch, after an ESTOP first (one line, exit 70: ../crash-guard.ts).
 */
import { networkInterfaces } from "node:os";
import { type Command, InvalidArgumentError } from "commander";
import { createAppApi } from "../../app/app-api.ts";
import { AppCore } from "../../app/app-core.ts";
import { createConnector } from "../../app/connect.ts";
import { defaultDataDir } from "../../app/data-dir.ts";
import { createDeviceLister, scanBluetooth } from "../../app/list-devices.ts";
import { resolvePinMap } from "../../firmata/pin-map.ts";
import { registerFirmataScheme } from "../../firmata/scheme.ts";
import { ensureRendererBuilt, RENDERER_OUT_DIR } from "../../serve/renderer-build.ts";
import { startServer } from "../../serve/server.ts";
import { createToken } from "../../serve/token.ts";
import { resolveHciSpec } from "../../transport/ble/hci-spec.ts";
import { bleScheme } from "../../transport/ble/scheme.ts";
import { registerDeviceScheme } from "../../transport/from-spec.ts";
import { HCI_OPTION_HELP } from "../ble-option.ts";
import { crashMessage, guardCrashes } from "../crash-guard.ts";
import { ExitCode } from "../exit-codes.ts";
import { PINS_OPTION_HELP } from "../firmata-option.ts";
import { describeOpen, openInBrowser } from "../open-browser.ts";

interface ServeOptions {
  port: number;
  host: string;
  device?: string;
  dataDir?: string;
  pins?: string;
  hci?: string;
  open?: boolean;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new InvalidArgumentError("give a port from 0 to 65535 (0 picks a free one)");
  return port;
}

/** The addresses a phone on the LAN can use, when listening on every interface. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((net) => net !== undefined && net.family === "IPv4" && !net.internal)
    .map((net) => net?.address ?? "");
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Serve the app's UI in a browser, with the massager behind it (token required)")
    .option("--port <n>", "port to listen on (0 picks a free one)", parsePort, 8723)
    .option("--host <address>", "address to listen on; 0.0.0.0 opens it to your LAN", "127.0.0.1")
    .option("--device <spec>", "device to connect: sim (default from settings), serial:/dev/ttyUSB0, ...")
    .option("--data-dir <dir>", "where settings, history and your patterns live")
    .option("--pins <map>", `${PINS_OPTION_HELP} (lists Arduino boards as firmata: devices)`)
    .option("--hci <spec>", HCI_OPTION_HELP)
    .option("--open", "open the app in this machine's browser (or say why it cannot)")
    .action(async (options: ServeOptions) => {
      const hci = resolveHciSpec(options.hci, process.env);
      // ble: devices (from the Bluetooth scan) connect through the same controller the scan used.
      if (options.hci !== undefined) registerDeviceScheme("ble", bleScheme(hci));
      if (options.pins !== undefined) registerFirmataScheme(await resolvePinMap(options.pins));
      if (await ensureRendererBuilt()) process.stdout.write("Built the app's UI.\n");
      const core = new AppCore({
        dataDir: options.dataDir ?? defaultDataDir(),
        connect: createConnector(),
        listDevices: createDeviceLister({ firmata: options.pins !== undefined }),
        scanBluetooth: () => scanBluetooth(hci),
      });
      const guard = guardCrashes(() => core.emergencyStop());
      try {
        await core.init();
        if (options.device) await core.connect(options.device);
        const token = createToken();
        const server = await startServer({
          api: createAppApi(core),
          events: core,
          staticDir: RENDERER_OUT_DIR,
          token,
          host: options.host,
          port: options.port,
        });
        const urls =
          options.host === "0.0.0.0"
            ? lanAddresses().map((address) => `http://${address}:${server.port}/?token=${token}`)
            : [`${server.origin}/?token=${token}`];
        process.stdout.write(`Massager app: ${urls[0] ?? `${server.origin}/?token=${token}`}\n`);
        for (const url of urls.slice(1)) process.stdout.write(`          also: ${url}\n`);
        if (options.host !== "127.0.0.1" && options.host !== "localhost") {
          process.stdout.write("Open to your network: anyone with this URL (and its token) can drive the massager.\n");
        }
        if (options.open) process.stdout.write(describeOpen(await openInBrowser(urls[0] ?? server.origin)));
        process.stdout.write("Press Ctrl-C to stop the motors and quit.\n");
        const signal = untilSignal();
        const crashed = await Promise.race([signal.received.then(() => false), guard.crashed.then(() => true)]);
        signal.cancel();
        // Motors first, then the server: a browser may still be watching the ramp to zero.
        await core.close();
        await server.close();
        if (crashed && guard.crash !== undefined) {
          process.stderr.write(crashMessage(guard.crash.error, true));
          process.exitCode = ExitCode.Internal;
          return;
        }
        process.exitCode = ExitCode.Interrupted;
      } catch (error) {
        // Whatever failed (a busy port, ...), close the device: its heartbeat would keep the process alive.
        await core.close().catch(() => {});
        throw error;
      } finally {
        guard.dispose();
      }
    });
}

/** Resolves `received` on the first SIGINT or SIGTERM; cancel() stops listening. */
function untilSignal(): { received: Promise<void>; cancel: () => void } {
  let done: () => void = () => {};
  const received = new Promise<void>((resolve) => {
    done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  return { received, cancel: done };
}
