/**
 * Checks made before noble touches a Linux HCI adapter, so that a missing, blocked or
 * forbidden adapter fails at once with its fix instead of noble printing warnings and
 * polling forever. The system is read through `SystemProbe`, so tests can fake it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

export interface SystemProbe {
  /** A small text file's contents, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /** A directory's entries, or undefined when it does not exist. */
  list(path: string): string[] | undefined;
}

export const realSystem: SystemProbe = {
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  list(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
};

/** The Linux capability a raw HCI socket needs (include/uapi/linux/capability.h). */
const CAP_NET_RAW = 13n;

export const SETCAP_FIX = "sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))";
export const NO_ADAPTER_FIX =
  "plug in a Bluetooth adapter (see `bluetoothctl list`), or use an HCI UART board with --hci uart:/dev/ttyACM0";
export const RFKILL_HARD_FIX = "turn Bluetooth on with the laptop's wireless switch or key, then try again";
export const RFKILL_SOFT_FIX = "run `rfkill unblock bluetooth`, or turn Bluetooth on in the system settings";

/** The HCI adapters the kernel has (hci0, hci1, ...), in its order. */
export function listAdapters(probe: SystemProbe = realSystem): string[] {
  return (probe.list("/sys/class/bluetooth") ?? []).filter((entry) => /^hci\d+$/.test(entry));
}

/** How adapter `name` is switched off: `hard` (a switch or key), `soft` (rfkill), or undefined when it is not. */
export function rfkillBlock(name: string, probe: SystemProbe = realSystem): "hard" | "soft" | undefined {
  let soft = false;
  for (const entry of probe.list(`/sys/class/bluetooth/${name}`) ?? []) {
    if (!entry.startsWith("rfkill")) continue;
    const base = `/sys/class/bluetooth/${name}/${entry}`;
    if (probe.readText(`${base}/hard`)?.trim() === "1") return "hard";
    if (probe.readText(`${base}/soft`)?.trim() === "1") soft = true;
  }
  return soft ? "soft" : undefined;
}

/**
 * Whether this process may open raw HCI sockets (CAP_NET_RAW among its effective capabilities:
 * root, or the capability set on the node binary); undefined when /proc does not say.
 */
export function hasRawBluetoothAccess(probe: SystemProbe = realSystem): boolean | undefined {
  const effective = /^CapEff:\s*([0-9a-f]+)$/im.exec(probe.readText("/proc/self/status") ?? "")?.[1];
  if (effective === undefined) return undefined;
  return ((BigInt(`0x${effective}`) >> CAP_NET_RAW) & 1n) === 1n;
}

/** Throws BluetoothUnavailable or PermissionDenied, each with its fix, unless hci<id> looks usable. */
export function checkLinuxAdapter(deviceId: number, probe: SystemProbe = realSystem): void {
  const name = `hci${deviceId}`;
  const adapters = listAdapters(probe);
  if (!adapters.includes(name)) {
    const others = adapters.length > 0 ? ` (this machine has ${adapters.join(", ")})` : "";
    throw new MassagerError(ErrorCode.BluetoothUnavailable, `no Bluetooth adapter ${name} found${others}`, {
      hint: adapters.length > 0 ? `choose one with --hci ${adapters[0]}` : NO_ADAPTER_FIX,
    });
  }
  const block = rfkillBlock(name, probe);
  if (block === "hard") {
    throw new MassagerError(ErrorCode.BluetoothUnavailable, `Bluetooth is off: ${name} is disabled by a switch`, {
      hint: RFKILL_HARD_FIX,
    });
  }
  if (block === "soft") {
    throw new MassagerError(ErrorCode.BluetoothUnavailable, `Bluetooth is off: ${name} is blocked (rfkill)`, {
      hint: RFKILL_SOFT_FIX,
    });
  }
  if (hasRawBluetoothAccess(probe) === false) {
    throw new MassagerError(
      ErrorCode.PermissionDenied,
      `not permitted to use ${name}: Node lacks raw Bluetooth access`,
      {
        hint: `grant it once with: ${SETCAP_FIX}  (or run as root)`,
      },
    );
  }
}
