/**
 * Finding massagers: anything advertising the Nordic UART Service or the HM-10 service, or,
 * when a target is named, the device with that name or address whatever it advertises.
 */
import type { Noble, Peripheral } from "@stoprocent/noble";
import { type BleBridgeProfile, profileForService } from "../../../protocol/ble.ts";
import type { HciSpec } from "./hci-spec.ts";
import { openCentral } from "./noble-central.ts";

export interface FoundMassager {
  /** noble's id for the peripheral (the address without colons on Linux, a UUID on macOS). */
  readonly id: string;
  readonly name: string;
  /** The Bluetooth address; macOS hides it, and the id stands in. */
  readonly address: string;
  /** Signal strength in dBm (127: the controller did not measure it). */
  readonly rssi: number;
  /** The serial bridge it advertises, if it advertises one. */
  readonly profile: BleBridgeProfile | undefined;
  readonly peripheral: Peripheral;
}

export interface ScanOptions {
  timeoutMs: number;
  /** A name or address; when given, only that device matches. */
  target?: string | undefined;
  /** Resolve with the first match instead of waiting out the timeout. */
  first?: boolean;
}

/** Lower case without separators, so `AA:BB:...`, `aa-bb-...` and noble's ids compare equal. */
function bareAddress(text: string): string {
  return text.toLowerCase().replace(/[:-]/g, "");
}

export function describeFound(peripheral: Peripheral): Omit<FoundMassager, "peripheral"> {
  const advertisement = peripheral.advertisement;
  const profile = (advertisement?.serviceUuids ?? []).map(profileForService).find((p) => p !== undefined);
  const address = peripheral.address && peripheral.address !== "unknown" ? peripheral.address : peripheral.id;
  return { id: peripheral.id, name: advertisement?.localName ?? "", address, rssi: peripheral.rssi, profile };
}

/** Whether a discovered device is what the scan looks for. */
export function matchesTarget(found: Omit<FoundMassager, "peripheral">, target: string | undefined): boolean {
  if (target === undefined) return found.profile !== undefined;
  const wanted = target.trim().toLowerCase();
  return (
    found.name.toLowerCase() === wanted ||
    bareAddress(found.address) === bareAddress(wanted) ||
    bareAddress(found.id) === bareAddress(wanted)
  );
}

/** Scans for `timeoutMs` (or until the first match) and returns the matches, strongest signal first. */
export async function scanForMassagers(noble: Noble, options: ScanOptions): Promise<FoundMassager[]> {
  const found = new Map<string, FoundMassager>();
  let onDiscover: ((peripheral: Peripheral) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, options.timeoutMs);
    onDiscover = (peripheral) => {
      const info = describeFound(peripheral);
      if (!matchesTarget(info, options.target)) return;
      found.set(info.id, { ...info, peripheral });
      if (options.first) resolve();
    };
  });
  // The listener goes on before the scan starts, so no advertisement can slip by unheard.
  if (onDiscover) noble.on("discover", onDiscover);
  try {
    await noble.startScanningAsync([], false);
    await done;
  } finally {
    clearTimeout(timer);
    if (onDiscover) noble.removeListener("discover", onDiscover);
    await noble.stopScanningAsync().catch(() => {});
  }
  return [...found.values()].sort((a, b) => normalisedRssi(b.rssi) - normalisedRssi(a.rssi));
}

/** 127 means "not measured": sort it last. */
function normalisedRssi(rssi: number): number {
  return rssi === 127 ? -1000 : rssi;
}

export interface NearbyOptions {
  hci: HciSpec;
  timeoutMs: number;
  poweredOnTimeoutMs: number;
}

/** Powers a controller on, scans for `timeoutMs`, lets the controller go; what `massager scan` shows. */
export async function listNearbyMassagers(options: NearbyOptions): Promise<Omit<FoundMassager, "peripheral">[]> {
  const central = await openCentral({ hci: options.hci, poweredOnTimeoutMs: options.poweredOnTimeoutMs });
  try {
    const found = await scanForMassagers(central.noble, { timeoutMs: options.timeoutMs });
    return found.map(({ peripheral: _, ...rest }) => rest);
  } finally {
    central.stop();
  }
}
