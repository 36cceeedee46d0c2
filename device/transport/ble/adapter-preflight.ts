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

/** Throws BluetoothUnavailable or PermissionDenied, each with its fix, unless hci<id> looks usable. */
export function checkLinuxAdapter(deviceId: number, probe: SystemProbe = realSystem): void {
  const name = `hci${deviceId}`;
  const adapters = (probe.list("/sys/class/bluetooth") ?? []).filter((entry) => /^hci\d+$/.test(entry));
  if (!adapters.includes(name)) {
    const others = adapters.length > 0 ? ` (this machine has ${adapters.join(", ")})` : "";
    throw new MassagerError(ErrorCode.BluetoothUnavailable, `no Bluetooth adapter ${name} found${others}`, {
      hint:
        adapters.length > 0
          ? `choose one with --hci ${adapters[0]}`
          : "plug in a Bluetooth adapter (see `bluetoothctl list`), or use an HCI UART board with --hci uart:/dev/ttyACM0",
    });
  }
  for (const entry of probe.list(`/sys/class/bluetooth/${name}`) ?? []) {
    if (!entry.startsWith("rfkill")) continue;
    const base = `/sys/class/bluetooth/${name}/${entry}`;
    if (probe.readText(`${base}/hard`)?.trim() === "1") {
      throw new MassagerError(ErrorCode.BluetoothUnavailable, `Bluetooth is off: ${name} is disabled by a switch`, {
        hint: "turn Bluetooth on with the laptop's wireless switch or key, then try again",
      });
    }
    if (probe.readText(`${base}/soft`)?.trim() === "1") {
      throw new MassagerError(ErrorCode.BluetoothUnavailable, `Bluetooth is off: ${name} is blocked (rfkill)`, {
        hint: "run `rfkill unblock bluetooth`, or turn Bluetooth on in the system settings",
      });
    }
  }
  const effective = /^CapEff:\s*([0-9a-f]+)$/im.exec(probe.readText("/proc/self/status") ?? "")?.[1];
  if (effective !== undefined) {
    if (((BigInt(`0x${effective}`) >> CAP_NET_RAW) & 1n) === 0n) {
      throw new MassagerError(
        ErrorCode.PermissionDenied,
        `not permitted to use ${name}: Node lacks raw Bluetooth access`,
        {
          hint: `grant it once with: ${SETCAP_FIX}  (or run as root)`,
        },
      );
    }
  }
}
