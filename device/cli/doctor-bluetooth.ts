/**
 * `massager doctor`'s Bluetooth checks: the adapter, rfkill, Node's raw-socket capability, and
 * btvirt for the BLE tests, each with its fix. They read the system through the same helpers
 * the BLE transport checks before it opens an adapter (device/transport/ble/adapter-preflight.ts),
 * so doctor and `--device ble` explain a problem in the same words. Bluetooth is optional (only
 * `--device ble` and `simulate --ble` need it), so a problem is a warning, never a failure.
 */
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  hasRawBluetoothAccess,
  listAdapters,
  NO_ADAPTER_FIX,
  RFKILL_HARD_FIX,
  RFKILL_SOFT_FIX,
  realSystem,
  rfkillBlock,
  SETCAP_FIX,
  type SystemProbe,
} from "../transport/ble/adapter-preflight.ts";

export interface DoctorCheck {
  level: "ok" | "warn" | "fail";
  what: string;
  fix?: string;
}

/** What the checks look at; realBluetoothEnvironment() reads this machine. */
export interface BluetoothEnvironment {
  platform: NodeJS.Platform;
  probe: SystemProbe;
  /** The node binary that runs massager, symlinks resolved (what setcap must be given). */
  nodeBinary: string;
  runningAsRoot: boolean;
  /** Where the BLE tests keep the btvirt they fetch (test/ble/support/btvirt.ts). */
  btvirtCache: string;
  /** An executable's path, if it exists. */
  executable(path: string): boolean;
  /** Directories of PATH. */
  path: string[];
}

const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

function realBluetoothEnvironment(): BluetoothEnvironment {
  let nodeBinary = process.execPath;
  try {
    nodeBinary = realpathSync(process.execPath);
  } catch {}
  return {
    platform: process.platform,
    probe: realSystem,
    nodeBinary,
    runningAsRoot: process.getuid?.() === 0,
    btvirtCache: join(REPO_ROOT, ".cache/ble/root/usr/bin/btvirt"),
    executable: (path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    path: (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== ""),
  };
}

const BTVIRT_FIX =
  "the BLE tests fetch it themselves with `apt-get download bluez-test-tools` (needs apt lists: sudo apt-get update); or sudo apt-get install bluez-test-tools";

/** The Bluetooth checks, in the order a person would fix them. */
export function checkBluetooth(env: BluetoothEnvironment = realBluetoothEnvironment()): DoctorCheck[] {
  if (env.platform !== "linux") {
    return [
      {
        level: "ok",
        what: `Bluetooth LE goes through the system's own stack on ${env.platform}: allow the terminal Bluetooth access when asked`,
      },
    ];
  }
  // btvirt is BlueZ's, so the BLE tests that need it run on Linux only.
  return [...adapterChecks(env), btvirtCheck(env)];
}

function adapterChecks(env: BluetoothEnvironment): DoctorCheck[] {
  const adapters = listAdapters(env.probe);
  const checks: DoctorCheck[] = [];
  if (adapters.length === 0) {
    checks.push({
      level: "warn",
      what: "no Bluetooth adapter (no hciN in /sys/class/bluetooth): --device ble and simulate --ble need one",
      fix: NO_ADAPTER_FIX,
    });
  } else {
    checks.push({ level: "ok", what: `Bluetooth adapter${adapters.length > 1 ? "s" : ""}: ${adapters.join(", ")}` });
  }
  for (const name of adapters) {
    const block = rfkillBlock(name, env.probe);
    if (block === "hard") {
      checks.push({ level: "warn", what: `Bluetooth is off: ${name} is disabled by a switch`, fix: RFKILL_HARD_FIX });
    } else if (block === "soft") {
      checks.push({ level: "warn", what: `Bluetooth is off: ${name} is blocked (rfkill)`, fix: RFKILL_SOFT_FIX });
    } else {
      checks.push({ level: "ok", what: `${name} is on (not blocked by rfkill)` });
    }
  }
  const raw = hasRawBluetoothAccess(env.probe);
  if (raw === true) {
    const why = env.runningAsRoot ? "running as root" : `cap_net_raw on ${env.nodeBinary}`;
    checks.push({ level: "ok", what: `Node may open raw Bluetooth sockets (${why})` });
  } else if (raw === false) {
    checks.push({
      level: "warn",
      what: `Node (${env.nodeBinary}) lacks cap_net_raw: --device ble cannot open the adapter`,
      fix: `grant it once with: ${SETCAP_FIX}  (again after each Node upgrade; or run as root)`,
    });
  }
  return checks;
}

function btvirtCheck(env: BluetoothEnvironment): DoctorCheck {
  const found = [env.btvirtCache, ...env.path.map((dir) => join(dir, "btvirt"))].find((path) => env.executable(path));
  return found
    ? { level: "ok", what: `btvirt found (${found}): the BLE tests run emulated controllers in it` }
    : {
        level: "warn",
        what: "btvirt is missing: the BLE tests (test/ble) run their emulated controllers in it",
        fix: BTVIRT_FIX,
      };
}
