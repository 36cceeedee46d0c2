/**
 * `massager doctor`'s Bluetooth checks: adapter, rfkill, cap_net_raw for Node, btvirt for the BLE
 * tests, each problem with its fix, read through the BLE transport's own preflight helpers.
 */
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { type BluetoothEnvironment, checkBluetooth } from "../../device/cli/doctor-bluetooth.ts";
import {
  NO_ADAPTER_FIX,
  RFKILL_HARD_FIX,
  RFKILL_SOFT_FIX,
  SETCAP_FIX,
} from "../../device/transport/ble/adapter-preflight.ts";
import { stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";

const ALL_CAPS = "Name:\tnode\nCapEff:\t000001ffffffffff\n";
const NO_CAPS = "Name:\tnode\nCapEff:\t0000000000000000\n";

/** A machine as the checks see it: a fake /sys and /proc, and which executables exist. */
function machine(options: {
  adapters?: Record<string, { soft?: boolean; hard?: boolean }>;
  status?: string;
  root?: boolean;
  executables?: string[];
  platform?: NodeJS.Platform;
}): BluetoothEnvironment {
  const files: Record<string, string> = { "/proc/self/status": options.status ?? ALL_CAPS };
  const dirs: Record<string, string[]> = {};
  const adapters = options.adapters ?? {};
  if (Object.keys(adapters).length > 0) dirs["/sys/class/bluetooth"] = Object.keys(adapters);
  for (const [name, state] of Object.entries(adapters)) {
    dirs[`/sys/class/bluetooth/${name}`] = ["address", "rfkill3", "power"];
    files[`/sys/class/bluetooth/${name}/rfkill3/soft`] = state.soft ? "1\n" : "0\n";
    files[`/sys/class/bluetooth/${name}/rfkill3/hard`] = state.hard ? "1\n" : "0\n";
  }
  const executables = new Set(options.executables ?? []);
  return {
    platform: options.platform ?? "linux",
    probe: { readText: (path) => files[path], list: (path) => dirs[path] },
    nodeBinary: "/opt/node/bin/node",
    runningAsRoot: options.root ?? false,
    btvirtCache: "/repo/.cache/ble/root/usr/bin/btvirt",
    executable: (path) => executables.has(path),
    path: ["/usr/local/bin", "/usr/bin"],
  };
}

describe("doctor's Bluetooth checks", () => {
  it("no adapter: a warning naming /sys/class/bluetooth, with how to get one", () => {
    const checks = checkBluetooth(machine({}));
    expect(checks[0]).toEqual({
      level: "warn",
      what: "no Bluetooth adapter (no hciN in /sys/class/bluetooth): --device ble and simulate --ble need one",
      fix: NO_ADAPTER_FIX,
    });
    expect(checks.every((check) => check.level !== "fail")).toBe(true);
  });

  it("an adapter blocked by rfkill or switched off: which one, and how to turn it on", () => {
    const checks = checkBluetooth(machine({ adapters: { hci0: { soft: true }, hci1: { hard: true, soft: true } } }));
    expect(checks.slice(0, 3)).toEqual([
      { level: "ok", what: "Bluetooth adapters: hci0, hci1" },
      { level: "warn", what: "Bluetooth is off: hci0 is blocked (rfkill)", fix: RFKILL_SOFT_FIX },
      { level: "warn", what: "Bluetooth is off: hci1 is disabled by a switch", fix: RFKILL_HARD_FIX },
    ]);
    expect(checkBluetooth(machine({ adapters: { hci0: {} } }))[1]).toEqual({
      level: "ok",
      what: "hci0 is on (not blocked by rfkill)",
    });
  });

  it("Node without cap_net_raw: names the binary and gives the setcap line", () => {
    const lacking = checkBluetooth(machine({ adapters: { hci0: {} }, status: NO_CAPS }));
    expect(lacking).toContainEqual({
      level: "warn",
      what: "Node (/opt/node/bin/node) lacks cap_net_raw: --device ble cannot open the adapter",
      fix: `grant it once with: ${SETCAP_FIX}  (again after each Node upgrade; or run as root)`,
    });
    const granted = checkBluetooth(machine({ adapters: { hci0: {} } }));
    expect(granted).toContainEqual({
      level: "ok",
      what: "Node may open raw Bluetooth sockets (cap_net_raw on /opt/node/bin/node)",
    });
    const root = checkBluetooth(machine({ root: true }));
    expect(root).toContainEqual({ level: "ok", what: "Node may open raw Bluetooth sockets (running as root)" });
  });

  it("btvirt: found in the tests' cache or on PATH, or how the BLE tests get it", () => {
    expect(checkBluetooth(machine({})).at(-1)).toEqual({
      level: "warn",
      what: "btvirt is missing: the BLE tests (test/ble) run their emulated controllers in it",
      fix: expect.stringContaining("apt-get download bluez-test-tools"),
    });
    expect(checkBluetooth(machine({ executables: ["/usr/bin/btvirt"] })).at(-1)).toMatchObject({
      level: "ok",
      what: expect.stringContaining("/usr/bin/btvirt"),
    });
    expect(checkBluetooth(machine({ executables: ["/repo/.cache/ble/root/usr/bin/btvirt"] })).at(-1)?.what).toContain(
      "/repo/.cache/ble/",
    );
  });

  it("on macOS or Windows there is no adapter to check: the system's stack is used", () => {
    expect(checkBluetooth(machine({ platform: "darwin" }))).toEqual([
      {
        level: "ok",
        what: "Bluetooth LE goes through the system's own stack on darwin: allow the terminal Bluetooth access when asked",
      },
    ]);
  });
});

describe("massager doctor on this machine", { timeout: 30_000 }, () => {
  afterEach(() => stopAll());

  it("explains the Bluetooth situation it finds, each problem with its fix", async () => {
    const adapters = (() => {
      try {
        return readdirSync("/sys/class/bluetooth").filter((name) => /^hci\d+$/.test(name));
      } catch {
        return [];
      }
    })();
    const run = startMassager(["doctor", "--json"]);
    await run.exited;
    const checks = JSON.parse(run.stdout()) as Array<{ level: string; what: string; fix?: string }>;
    if (process.platform !== "linux") {
      expect(checks.some((check) => /Bluetooth LE goes through the system's own stack/.test(check.what))).toBe(true);
      return;
    }
    const adapterCheck = checks.find((check) => /Bluetooth adapter/.test(check.what));
    if (adapters.length === 0) {
      // This machine (and CI) has no Bluetooth: doctor says so, and how to get it, as a warning only.
      expect(adapterCheck).toEqual({
        level: "warn",
        what: "no Bluetooth adapter (no hciN in /sys/class/bluetooth): --device ble and simulate --ble need one",
        fix: NO_ADAPTER_FIX,
      });
    } else {
      expect(adapterCheck).toMatchObject({ level: "ok", what: expect.stringContaining(adapters[0] ?? "hci") });
    }
    const raw = checks.find((check) => /raw Bluetooth sockets|lacks cap_net_raw/.test(check.what));
    expect(raw).toBeDefined();
    if (raw?.level !== "ok") expect(raw?.fix).toContain("setcap cap_net_raw+eip");
    expect(checks.some((check) => /^btvirt /.test(check.what))).toBe(true);
    for (const check of checks.filter((c) => c.level !== "ok")) expect(check.fix).toBeTruthy();
  });
});
