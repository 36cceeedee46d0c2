/**
 * Issue 14 item 5: the device reports its pin map and PWM frequency (PINS, answered by PN, with the
 * Pins capability bit 64 in ID): the firmware as built (default, two-PWM, and a custom -D map, as a
 * hobbyist who changed a pin would), the simulator, and the Firmata bridge (from --pins).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { VirtualClock } from "../../device/clock.ts";
import { parseInlinePinMap, pinReportOf } from "../../device/firmata/pin-map.ts";
import { buildFirmware } from "../../device/firmware/tools/avr-build.ts";
import { BUILD_DIR } from "../../device/firmware/tools/paths.ts";
import { probeBoards } from "../../device/hw/board-probe.ts";
import { DEFAULT_PINS, FIRMWARE_VERSION } from "../../device/reference-device/capabilities.ts";
import { DeviceCore } from "../../device/reference-device/device-core.ts";
import { Capability, type DeviceMessage, decode, encode } from "../../protocol/index.ts";
import { runMassager } from "../support/massager-cli.ts";
import { firmware } from "./support/massager-board.ts";
import { RawHost } from "./support/raw-host.ts";

/** PN's fields as the frame carries them, from a line. */
function pnOf(line: string): DeviceMessage {
  const result = decode(line);
  if (result.kind !== "message") throw new Error(`not a frame: ${line}`);
  return result.message as DeviceMessage;
}

async function askPins(elf: string): Promise<{ id: DeviceMessage; pn: DeviceMessage }> {
  board = await startEmulatedBoard({ firmware: elf, pins: [4], startTimeoutMs: 20_000 });
  host = await RawHost.open(board.ptyPath);
  const id = pnOf(await host.hello());
  const since = host.lines.length;
  const seq = await host.send({ type: "PINS" });
  const pn = pnOf(await host.waitFor((line) => line.startsWith(`PN ${seq} `), 3_000, since));
  return { id, pn };
}

let board: EmulatedBoard | undefined;
let host: RawHost | undefined;

afterEach(async () => {
  await host?.close();
  await board?.stop();
  host = undefined;
  board = undefined;
});

describe.skipIf(!firmware.ok)("the firmware's pin report (PINS → PN)", () => {
  it("reports the default build's map and 20 kHz, with the Pins bit in ID", { timeout: 60_000 }, async () => {
    if (!firmware.ok) return;
    const { id, pn } = await askPins(firmware.value);
    expect(id.type === "ID" && id.caps & Capability.Pins).toBe(Capability.Pins);
    expect(pn).toMatchObject({ type: "PN", drv: "PD", vib: 10, rot: 9, cw: 7, ccw: 8, stby: 4, pwmHz: 20_000 });
  });

  it("reports a changed pin after a rebuild, and the two-PWM build's map", { timeout: 240_000 }, async () => {
    const custom = await buildFirmware({
      defines: ["PIN_STBY=2", "PIN_ROTATION_IN1=A0", "PIN_VIBRATION_PWM=3"],
      outDir: join(BUILD_DIR, "custom-pins"),
    });
    expect((await askPins(custom.elf)).pn).toMatchObject({ drv: "PD", vib: 3, rot: 9, cw: 14, ccw: 8, stby: 2 });
    await host?.close();
    await board?.stop();
    const twoPwm = await buildFirmware({ defines: ["ROTATION_DRIVER_TWO_PWM"], outDir: join(BUILD_DIR, "two-pwm") });
    expect((await askPins(twoPwm.elf)).pn).toMatchObject({ drv: "2P", vib: 3, rot: 0, cw: 9, ccw: 10, stby: 4 });
  });
});

describe.skipIf(!firmware.ok)("massager doctor's board probe", () => {
  it("names the firmware and the pins of each Arduino on USB, and warns for one that does not answer", async () => {
    if (!firmware.ok) return;
    board = await startEmulatedBoard({ firmware: firmware.value, pins: [4], startTimeoutMs: 20_000 });
    const path = board.ptyPath;
    const checks = await probeBoards(async () => ({
      ports: [
        { path, vendorId: "2341" },
        { path: "/dev/ttyNOPE0", vendorId: "1a86" },
        { path: "/dev/ttyS0" }, // not an Arduino: not probed
      ],
      source: "sysfs",
    }));
    expect(checks).toHaveLength(2);
    expect(checks[0]).toEqual({
      level: "ok",
      what: `${path}: massager firmware ${FIRMWARE_VERSION}; pins: vibration PWM D10, rotation PWM D9, direction D7 (HIGH: clockwise) / D8 (HIGH: counter-clockwise), STBY D4; PWM 20 kHz`,
    });
    expect(checks[1]).toMatchObject({
      level: "warn",
      what: expect.stringMatching(/^\/dev\/ttyNOPE0: no massager firmware answered/),
    });
  }, 60_000);
});

describe("the simulator's and the Firmata bridge's pin report", () => {
  function core(protocol: "1.0" | "1.1"): { lines: string[]; core: DeviceCore } {
    const lines: string[] = [];
    const device = new DeviceCore({
      clock: new VirtualClock(),
      send: (line) => lines.push(line),
      sink: { apply: () => {} },
      protocol,
    });
    device.boot();
    return { lines, core: device };
  }

  it("answers PINS with the firmware's default map (1.1) and refuses it as unknown (1.0)", () => {
    const modern = core("1.1");
    modern.core.receive(encode({ type: "PINS", seq: 4 }));
    expect(modern.lines.map(pnOf)).toContainEqual({ type: "PN", seq: 4, ...DEFAULT_PINS });
    const old = core("1.0");
    old.core.receive(encode({ type: "PINS", seq: 5 }));
    expect(old.lines.map(pnOf)).toContainEqual({ type: "ER", seq: 5, code: 102 });
  });

  it("play --verbose prints what the device says of itself and its pins", async () => {
    const run = await runMassager(
      ["play", "daily-hair-care", "--fast", "--verbose", "--minutes", "1", "--json"],
      30_000,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `massager: the built-in simulator: firmware ${FIRMWARE_VERSION} (protocol 1): program playback`,
    );
    expect(run.stderr).toContain("massager: pins: vibration PWM D10, rotation PWM D9");
  }, 40_000);

  it("reports the --pins map and Firmata's audible PWM frequency", () => {
    expect(pinReportOf(parseInlinePinMap("vib=10,rot=9,dir=7,cdir=8,stby=4"))).toEqual({
      drv: "PD",
      vib: 10,
      rot: 9,
      cw: 7,
      ccw: 8,
      stby: 4,
      pwmHz: 490,
    });
    expect(pinReportOf(parseInlinePinMap("vib=5,rot=6,dir=7"))).toMatchObject({ ccw: 0, stby: 0, pwmHz: 977 });
  });
});
