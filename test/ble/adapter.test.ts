import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkLinuxAdapter, type SystemProbe } from "../../device/transport/ble/adapter-preflight.ts";
import { describeHci, parseHciSpec, resolveHciSpec } from "../../device/transport/ble/hci-spec.ts";
import { openCentral } from "../../device/transport/ble/noble-central.ts";
import { describeFound, matchesTarget } from "../../device/transport/ble/scan.ts";
import { HM10_PROFILE, NUS_PROFILE } from "../../protocol/ble.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { type SocatPty, socatPty } from "../support/socat.ts";

async function failure(promiseOrFn: Promise<unknown> | (() => unknown)) {
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    if (isMassagerError(error)) return error;
    throw error;
  }
  throw new Error("expected a MassagerError");
}

describe("--hci specs", () => {
  it("reads the platform default, Linux adapters and UART controllers", () => {
    expect(parseHciSpec("default")).toEqual({ kind: "default" });
    expect(parseHciSpec("hci1")).toEqual({ kind: "native", deviceId: 1 });
    expect(parseHciSpec("hci:0")).toEqual({ kind: "native", deviceId: 0 });
    expect(parseHciSpec("uart:/dev/ttyACM0")).toEqual({ kind: "uart", port: "/dev/ttyACM0", baudRate: 1_000_000 });
    expect(parseHciSpec("uart:/dev/ttyUSB1@115200")).toEqual({ kind: "uart", port: "/dev/ttyUSB1", baudRate: 115200 });
    expect(describeHci(parseHciSpec("uart:/dev/pts/3"))).toBe("uart:/dev/pts/3");
  });

  it("refuses anything else with the accepted forms as the fix", async () => {
    for (const bad of ["bluetooth", "uart:", "uart:/dev/x@fast", "hci", "usb:1"]) {
      const error = await failure(() => parseHciSpec(bad));
      expect(error.code).toBe(ErrorCode.InvalidOption);
      expect(error.hint).toContain("--hci uart:");
    }
  });

  it("takes --hci over MASSAGER_HCI over the default", () => {
    expect(resolveHciSpec("hci2", { MASSAGER_HCI: "hci1" })).toEqual({ kind: "native", deviceId: 2 });
    expect(resolveHciSpec(undefined, { MASSAGER_HCI: "uart:/dev/pts/9" })).toMatchObject({ port: "/dev/pts/9" });
    expect(resolveHciSpec(undefined, {})).toEqual({ kind: "default" });
  });
});

/** A fake /sys and /proc. */
function probe(files: Record<string, string>, dirs: Record<string, string[]>): SystemProbe {
  return { readText: (path) => files[path], list: (path) => dirs[path] };
}
const ROOT_STATUS = { "/proc/self/status": "Name:\tnode\nCapEff:\t000001ffffffffff\n" };

describe("Linux adapter checks", () => {
  it("reports a missing adapter with how to get one", async () => {
    const error = await failure(() => checkLinuxAdapter(0, probe(ROOT_STATUS, {})));
    expect(error.code).toBe(ErrorCode.BluetoothUnavailable);
    expect(error.message).toContain("no Bluetooth adapter hci0");
    expect(error.hint).toContain("--hci uart:");
  });

  it("names the adapters there are when another was asked for", async () => {
    const error = await failure(() => checkLinuxAdapter(1, probe(ROOT_STATUS, { "/sys/class/bluetooth": ["hci0"] })));
    expect(error.message).toContain("this machine has hci0");
    expect(error.hint).toBe("choose one with --hci hci0");
  });

  it("reports Bluetooth switched off by rfkill", async () => {
    const sys = probe(
      {
        ...ROOT_STATUS,
        "/sys/class/bluetooth/hci0/rfkill3/soft": "1\n",
        "/sys/class/bluetooth/hci0/rfkill3/hard": "0\n",
      },
      { "/sys/class/bluetooth": ["hci0"], "/sys/class/bluetooth/hci0": ["address", "rfkill3"] },
    );
    const error = await failure(() => checkLinuxAdapter(0, sys));
    expect(error.code).toBe(ErrorCode.BluetoothUnavailable);
    expect(error.message).toContain("Bluetooth is off");
    expect(error.hint).toContain("rfkill unblock bluetooth");
  });

  it("reports missing permission with the setcap fix", async () => {
    const sys = probe(
      { "/proc/self/status": "CapEff:\t0000000000000000\n" },
      { "/sys/class/bluetooth": ["hci0"], "/sys/class/bluetooth/hci0": [] },
    );
    const error = await failure(() => checkLinuxAdapter(0, sys));
    expect(error.code).toBe(ErrorCode.PermissionDenied);
    expect(error.hint).toContain("setcap cap_net_raw+eip");
  });

  it("passes a present, unblocked adapter with CAP_NET_RAW", () => {
    const sys = probe(
      { "/proc/self/status": "CapEff:\t0000000000002000\n", "/sys/class/bluetooth/hci0/rfkill0/soft": "0" },
      { "/sys/class/bluetooth": ["hci0"], "/sys/class/bluetooth/hci0": ["rfkill0"] },
    );
    expect(() => checkLinuxAdapter(0, sys)).not.toThrow();
  });
});

describe("opening the central never hangs", () => {
  let pty: SocatPty | undefined;
  const dir = mkdtempSync(join(tmpdir(), "massager-ble-unit-"));
  afterAll(async () => {
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails at once without an adapter, before noble is started", async () => {
    const started = performance.now();
    const error = await failure(
      openCentral({
        hci: { kind: "default" },
        poweredOnTimeoutMs: 4000,
        platform: "linux",
        probe: probe(ROOT_STATUS, {}),
      }),
    );
    expect(error.code).toBe(ErrorCode.BluetoothUnavailable);
    // At once means well short of the 4 s powered-on timeout (real time: a loaded machine is slow).
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("fails with PortNotFound for a UART that does not exist", async () => {
    const error = await failure(
      openCentral({ hci: { kind: "uart", port: join(dir, "nothing"), baudRate: 1_000_000 }, poweredOnTimeoutMs: 4000 }),
    );
    expect(error.code).toBe(ErrorCode.PortNotFound);
  });

  it("gives up on a UART where no controller answers, within its timeout", async () => {
    // A pseudo-terminal with nothing behind it: the HCI reset is never answered.
    pty = await socatPty(join(dir, "silent"), "EXEC:sleep 30", 30_000);
    const started = performance.now();
    const error = await failure(
      openCentral({ hci: { kind: "uart", port: pty.port, baudRate: 1_000_000 }, poweredOnTimeoutMs: 800 }),
    );
    expect(error.code).toBe(ErrorCode.BluetoothUnavailable);
    expect(error.message).toContain("no Bluetooth controller answered");
    expect(error.hint).toContain("uart:PORT@BAUD");
    // Its 800 ms timeout, not a hang (real time: the margin is for a loaded machine).
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("recognising massagers in a scan", () => {
  const seen = (localName: string, serviceUuids: string[], address = "c0:ff:ee:00:00:01") =>
    describeFound({
      id: address.replace(/:/g, ""),
      address,
      rssi: -60,
      advertisement: { localName, serviceUuids },
    } as never);

  it("takes any device advertising NUS or FFE0 when no target is named", () => {
    expect(seen("Massager", [NUS_PROFILE.service]).profile).toBe(NUS_PROFILE);
    expect(seen("HMSoft", ["ffe0"]).profile).toBe(HM10_PROFILE);
    expect(matchesTarget(seen("Massager", [NUS_PROFILE.service]), undefined)).toBe(true);
    expect(matchesTarget(seen("Heart", ["180d"]), undefined)).toBe(false);
  });

  it("matches a named target by name or address, whatever it advertises", () => {
    const device = seen("Scalp-7", []);
    expect(matchesTarget(device, "scalp-7")).toBe(true);
    expect(matchesTarget(device, "C0:FF:EE:00:00:01")).toBe(true);
    expect(matchesTarget(device, "c0ffee000001")).toBe(true);
    expect(matchesTarget(device, "Scalp-8")).toBe(false);
  });
});
