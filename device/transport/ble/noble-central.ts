/**
 * A noble instance on an explicit controller, powered on, or a clear error within a few
 * seconds. noble is imported only here and only when BLE is used; its default export is
 * never touched, because on a machine without Bluetooth it logs every second and keeps the
 * process alive.
 */
import { existsSync } from "node:fs";
import type { AdapterState, Noble } from "@stoprocent/noble";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import { checkLinuxAdapter, realSystem, type SystemProbe } from "./adapter-preflight.ts";
import { describeHci, type HciSpec } from "./hci-spec.ts";
import { withoutLibrarySignalHandlers } from "./signal-guard.ts";

export interface CentralOptions {
  hci: HciSpec;
  /** How long the adapter may take to report poweredOn, ms. */
  poweredOnTimeoutMs: number;
  /** Injected for tests; default the real platform and /sys. */
  platform?: NodeJS.Platform;
  probe?: SystemProbe;
}

export interface BleCentral {
  readonly noble: Noble;
  /** Names the controller in messages. */
  readonly where: string;
  /** Releases the controller (HCI socket or serial port); safe to call twice. */
  stop(): void;
}

type BindingChoice = { type: "hci" | "mac" | "win"; options: Record<string, unknown> };

function chooseBindings(hci: HciSpec, platform: NodeJS.Platform, probe: SystemProbe): BindingChoice {
  if (hci.kind === "uart") {
    if (!existsSync(hci.port)) {
      throw new MassagerError(ErrorCode.PortNotFound, `no HCI UART at ${hci.port}`, {
        hint: "check the path of the Bluetooth controller's serial port (ls /dev/tty*)",
      });
    }
    // Only the UART driver is loaded: no native Bluetooth module is needed for this path.
    return {
      type: "hci",
      options: { hciDriver: "uart", bindParams: { uart: { port: hci.port, baudRate: hci.baudRate } } },
    };
  }
  if (platform === "linux" || hci.kind === "native") {
    if (platform !== "linux") {
      throw new MassagerError(ErrorCode.InvalidOption, `${describeHci(hci)} names a Linux adapter`, {
        hint: "leave --hci out to use this system's Bluetooth, or give --hci uart:PORT",
      });
    }
    const deviceId = hci.kind === "native" ? hci.deviceId : 0;
    checkLinuxAdapter(deviceId, probe);
    return { type: "hci", options: { hciDriver: "native", deviceId } };
  }
  if (platform === "darwin") return { type: "mac", options: {} };
  if (platform === "win32") return { type: "win", options: {} };
  throw new MassagerError(ErrorCode.BluetoothUnavailable, `Bluetooth is not supported on ${platform}`, {
    hint: "use an HCI UART board with --hci uart:PORT",
  });
}

async function loadNoble(): Promise<typeof import("@stoprocent/noble")> {
  try {
    return await import("@stoprocent/noble");
  } catch (error) {
    throw new MassagerError(ErrorCode.BluetoothUnavailable, "the Bluetooth library could not be loaded", {
      hint: "reinstall the dependencies with `npm ci`",
      cause: error,
    });
  }
}

/** Creates noble on `options.hci` and waits for poweredOn; every failure is a MassagerError with its fix. */
export async function openCentral(options: CentralOptions): Promise<BleCentral> {
  const platform = options.platform ?? process.platform;
  const where = describeHci(options.hci);
  const choice = chooseBindings(options.hci, platform, options.probe ?? realSystem);
  const { withBindings } = await loadNoble();
  const noble = withBindings(choice.type, choice.options);
  // noble prints its warnings with console.warn by default; a library must not print.
  noble.removeAllListeners("warning");
  noble.on("warning", () => {});
  let stopped = false;
  const central: BleCentral = {
    noble,
    where,
    stop() {
      if (stopped) return;
      stopped = true;
      noble.removeAllListeners("discover");
      noble.stop();
    },
  };
  try {
    // Reading `state` starts the bindings synchronously, so the SIGINT handler they add is caught here.
    withoutLibrarySignalHandlers(() => noble.state);
    await waitForPoweredOn(noble, options.poweredOnTimeoutMs, where, platform);
    return central;
  } catch (error) {
    central.stop();
    throw error;
  }
}

function waitForPoweredOn(noble: Noble, timeoutMs: number, where: string, platform: NodeJS.Platform): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let last: AdapterState = noble.state;
    const finish = (error?: MassagerError) => {
      clearTimeout(timer);
      noble.removeListener("stateChange", onState);
      if (error) reject(error);
      else resolve();
    };
    const onState = (state: AdapterState) => {
      last = state;
      if (state === "poweredOn") finish();
      else if (state === "unauthorized") finish(notPermitted(where, platform));
    };
    const timer = setTimeout(() => finish(notReady(last, where, timeoutMs)), timeoutMs);
    noble.on("stateChange", onState);
    onState(noble.state);
  });
}

function notPermitted(where: string, platform: NodeJS.Platform): MassagerError {
  const hint =
    platform === "darwin"
      ? "allow Bluetooth for your terminal in System Settings > Privacy & Security > Bluetooth"
      : platform === "win32"
        ? "allow apps to use Bluetooth in Settings > Privacy & security > Radios"
        : "sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))  (or run as root)";
  return new MassagerError(ErrorCode.PermissionDenied, `not permitted to use Bluetooth (${where})`, { hint });
}

function notReady(state: AdapterState, where: string, timeoutMs: number): MassagerError {
  const seconds = `${(timeoutMs / 1000).toFixed(1)} s`;
  // A UART controller that never answers the HCI reset shows as poweredOff: it is silence, not a switch.
  if (where.startsWith("uart:") && state !== "unsupported") {
    return new MassagerError(
      ErrorCode.BluetoothUnavailable,
      `no Bluetooth controller answered on ${where} within ${seconds}`,
      {
        hint: "check that the port is an HCI UART controller and its baud rate (uart:PORT@BAUD)",
      },
    );
  }
  switch (state) {
    case "poweredOff":
      return new MassagerError(ErrorCode.BluetoothUnavailable, `Bluetooth is off (${where})`, {
        hint: "turn Bluetooth on (Linux: `bluetoothctl power on`), then try again",
      });
    case "unsupported":
      return new MassagerError(ErrorCode.BluetoothUnavailable, `${where} does not support Bluetooth Low Energy`, {
        hint: "use a Bluetooth 4.0 (LE) adapter, or choose another one with --hci",
      });
    default:
      return new MassagerError(
        ErrorCode.BluetoothUnavailable,
        `the Bluetooth adapter (${where}) did not become ready within ${seconds} (state ${state})`,
        { hint: "check that Bluetooth is on and not in use by another program" },
      );
  }
}
