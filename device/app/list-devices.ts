/**
 * What the device panel lists: the simulated massager always (so the app works on first
 * start), the serial ports (as `serial:` for the massager firmware and, when a pin map is
 * set, as `firmata:` for Arduino boards), and on request the massagers in Bluetooth range.
 * A source that fails adds a line to `problems` rather than hiding the others.
 */
import type { HciSpec } from "../transport/ble/hci-spec.ts";
import { DEFAULT_BLE_OPTIONS } from "../transport/ble/options.ts";
import { isArduinoLike, listSerialPorts } from "../transport/serial-ports.ts";

/** One entry of the device panel. */
export interface DeviceChoice {
  spec: string;
  label: string;
  kind: "simulator" | "serial" | "firmata" | "ble" | "tcp";
  detail?: string;
  /** A serial port whose USB vendor is an Arduino's (or its clones' chip): the app offers to flash it. */
  arduino?: boolean;
}

/** Lists what can be connected right now; each source that fails adds a problem instead of failing the list. */
export type DeviceLister = () => Promise<{ choices: DeviceChoice[]; problems: string[] }>;

export const SIMULATOR_CHOICE: DeviceChoice = {
  spec: "sim",
  label: "Simulated massager",
  kind: "simulator",
  detail: "Built in: try everything without hardware.",
};

export interface ListerOptions {
  /** List Arduino-like ports as `firmata:` too (only when a pin map was given). */
  firmata: boolean;
}

/** Lists the simulator and the machine's serial ports. */
export function createDeviceLister(options: ListerOptions): DeviceLister {
  return async () => {
    const choices: DeviceChoice[] = [SIMULATOR_CHOICE];
    const problems: string[] = [];
    try {
      const { ports } = await listSerialPorts();
      for (const port of ports) {
        const vendor = port.vendorId;
        const maker = [port.manufacturer, vendor && `USB ${vendor}:${port.productId ?? ""}`].filter(Boolean).join(", ");
        const detail = maker ? { detail: maker } : {};
        const arduino = isArduinoLike(port) ? { arduino: true } : {};
        choices.push({ spec: `serial:${port.path}`, label: port.path, kind: "serial", ...detail, ...arduino });
        if (options.firmata && isArduinoLike(port)) {
          choices.push({ spec: `firmata:${port.path}`, label: `${port.path} (Firmata)`, kind: "firmata", ...detail });
        }
      }
    } catch (error) {
      problems.push(`Serial ports could not be listed: ${(error as Error).message}`);
    }
    return { choices, problems };
  };
}

/** The massagers in Bluetooth LE range, as `ble:ADDRESS` choices; no adapter is a problem line, not an error. */
export async function scanBluetooth(
  hci: HciSpec,
  timeoutMs = 4000,
): Promise<{ choices: DeviceChoice[]; problems: string[] }> {
  try {
    const { listNearbyMassagers } = await import("../transport/ble/scan.ts");
    const found = await listNearbyMassagers({
      hci,
      timeoutMs,
      poweredOnTimeoutMs: DEFAULT_BLE_OPTIONS.poweredOnTimeoutMs,
    });
    return {
      choices: found.map((massager) => ({
        spec: `ble:${massager.address}`,
        label: massager.name || massager.address,
        kind: "ble" as const,
        detail: [massager.profile?.label, massager.rssi === 127 ? undefined : `${massager.rssi} dBm`]
          .filter(Boolean)
          .join(", "),
      })),
      problems: found.length === 0 ? ["No massagers found in Bluetooth range. Is it on and close by?"] : [],
    };
  } catch (error) {
    const hint = (error as { hint?: string }).hint;
    return { choices: [], problems: [`Bluetooth: ${(error as Error).message}${hint ? ` (${hint})` : ""}`] };
  }
}
