/**
 * `massager serve [--port N] [--host H] [--device SPEC] [--data-dir DIR] [--tls] [--new-token]`:
 * the desktop app's UI in a browser, with the controller behind it. Listens on 127.0.0.1 unless
 * --host says otherwise; every API call needs the token in the printed URL, which is kept in the
 * data folder so a bookmark keeps working (`--new-token` replaces it). See SECURITY.md.
 * Any ending signal (Ctrl-C, SIGTERM, SIGHUP) stops the motors first, then closes the device and
 * the server (one line, exit 130: ../signal-guard.ts); so does a bug that escapes every
 * try/catch, after an ESTOP first (one line, exit 70: ../crash-guard.ts).
 */
import { type Command, InvalidArgumentError } from "commander";
import { createAppApi } from "../../app/app-api.ts";
import { AppCore } from "../../app/app-core.ts";
import { createConnector } from "../../app/connect.ts";
import { defaultDataDir } from "../../app/data-dir.ts";
import { createDeviceTools } from "../../app/device-tools.ts";
import { createDeviceLister, scanBluetooth } from "../../app/list-devices.ts";
import { RealClock } from "../../clock.ts";
import { defaultDeviceSchemes } from "../../composition/device-schemes.ts";
import { resolvePinMap } from "../../firmata/pin-map.ts";
import { interfaceAddresses } from "../../serve/addresses.ts";
import { qrCode } from "../../serve/qr.ts";
import { ensureRendererBuilt, RENDERER_OUT_DIR } from "../../serve/renderer-build.ts";
import { startServer } from "../../serve/server.ts";
import { loadCertificate } from "../../serve/tls.ts";
import { loadToken } from "../../serve/token.ts";
import { resolveHciSpec } from "../../transport/ble/hci-spec.ts";
import { HCI_OPTION_HELP } from "../ble-option.ts";
import type { CliOptions } from "../cli-options.ts";
import { crashMessage, guardCrashes } from "../crash-guard.ts";
import { ExitCode } from "../exit-codes.ts";
import { PINS_OPTION_HELP } from "../firmata-option.ts";
import { describeOpen, openInBrowser } from "../open-browser.ts";
import { guardSignals, reportStopped, writeSafely } from "../signal-guard.ts";

interface ServeOptions {
  port: number;
  host: string;
  device?: string;
  dataDir?: string;
  pins?: string;
  hci?: string;
  open?: boolean;
  tls?: boolean;
  newToken?: boolean;
  qr?: boolean;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new InvalidArgumentError("give a port from 0 to 65535 (0 picks a free one)");
  return port;
}

export function registerServeCommand(program: Command, cli: CliOptions = {}): void {
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
    .option("--tls", "HTTPS with a self-signed certificate made on first use (its fingerprint is printed); for the LAN")
    .option("--new-token", "replace the kept access token (old bookmarks stop working)")
    .option("--no-qr", "do not print the URL as a QR code")
    .action(async (options: ServeOptions) => {
      const dataDir = options.dataDir ?? defaultDataDir();
      const schemes = defaultDeviceSchemes({
        // ble: devices (from the Bluetooth scan) connect through the same controller the scan used.
        hci: options.hci === undefined ? undefined : resolveHciSpec(options.hci, process.env),
        pins: options.pins === undefined ? undefined : await resolvePinMap(options.pins),
        extra: cli.extraDeviceSchemes,
      });
      // One clock for the app core, its controllers and the motor test.
      const clock = new RealClock();
      const core = new AppCore({
        dataDir,
        clock,
        connect: createConnector({ clock, schemes }),
        listDevices: createDeviceLister({ firmata: options.pins !== undefined }),
        scanBluetooth: () => scanBluetooth(resolveHciSpec(options.hci, process.env)),
        // The motor test reaches the device as connect does (a Firmata pin map, a Bluetooth controller).
        tools: createDeviceTools({ clock, schemes }),
      });
      // From here on, any ending signal reaches the motors (past every queue: emergencyStop).
      const signals = guardSignals(() => core.emergencyStop());
      const guard = guardCrashes(() => core.emergencyStop());
      const out = (line: string) => writeSafely(process.stdout, `${line}\n`);
      let server: Awaited<ReturnType<typeof startServer>> | undefined;
      try {
        if (await ensureRendererBuilt()) out("Built the app's UI.");
        for (const notice of await core.init()) out(`Note: ${notice}`);
        if (options.device && signals.signal === undefined) await core.connect(options.device);
        const { token, created } = await loadToken(dataDir, options.newToken ?? false);
        const wildcard = options.host === "0.0.0.0" || options.host === "::" || options.host === "[::]";
        const certificate = options.tls
          ? await loadCertificate(dataDir, wildcard ? interfaceAddresses() : [options.host].filter(isIp))
          : undefined;
        if (signals.signal === undefined) {
          server = await startServer({
            api: createAppApi(core),
            events: core,
            staticDir: RENDERER_OUT_DIR,
            token,
            host: options.host,
            port: options.port,
            privatePaths: [dataDir],
            ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
          });
          const urls = server.urls.map((base) => `${base}/?token=${token}`);
          out(`Massager app: ${urls[0]}`);
          for (const url of urls.slice(1)) out(`          also: ${url}`);
          if (created && options.newToken) out("A new access token: bookmarks with the old one no longer work.");
          if (certificate) {
            out(`TLS certificate (self-signed${certificate.created ? ", made just now" : ""}), SHA-256 fingerprint:`);
            out(`  ${certificate.fingerprint}`);
            out("  Your browser warns once: accept only if it shows this fingerprint.");
          }
          if (server.lan) {
            out("Open to your network: anyone who has this URL (and its token) can drive the massager.");
            if (!certificate) out("  On a shared network add --tls, or the token crosses it in clear.");
          }
          const phoneUrl = urls[server.lan ? (urls.length > 1 ? 1 : 0) : 0];
          if (options.qr !== false && phoneUrl && server.lan) out(`Scan to open on your phone:\n${qrCode(phoneUrl)}`);
          out("Press Ctrl-C to stop the motors and quit.");
          if (options.open) writeSafely(process.stdout, describeOpen(await openInBrowser(urls[0] ?? server.origin)));
        }
        const crashed = await Promise.race([signals.received.then(() => false), guard.crashed.then(() => true)]);
        // Motors first, then the server: a browser may still be watching the ramp to zero.
        await core.close();
        await server?.close();
        if (crashed && guard.crash !== undefined) {
          writeSafely(process.stderr, crashMessage(guard.crash.error, true));
          process.exitCode = ExitCode.Internal;
          return;
        }
        reportStopped(signals.signal ?? "SIGINT");
        process.exitCode = ExitCode.Interrupted;
      } catch (error) {
        // Whatever failed (a busy port, ...), close the device: its heartbeat would keep the process alive.
        await core.close().catch(() => {});
        await server?.close();
        throw error;
      } finally {
        signals.dispose();
        guard.dispose();
      }
    });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}
