import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildOptiboot } from "../../device/avr-sim/bootloaders.ts";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { buildFirmware } from "../../device/firmware/tools/avr-build.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";
import { stopAll } from "../support/managed-process.ts";
import { runMassager } from "../support/massager-cli.ts";

describe.runIf(toolchainAvailable())("massager flash (CLI) against the emulated Uno", { timeout: 60_000 }, () => {
  let optiboot: string;
  let board: EmulatedBoard | undefined;

  beforeAll(async () => {
    optiboot = await buildOptiboot();
    await buildFirmware();
  }, 180_000);

  afterEach(async () => {
    await stopAll();
    await board?.stop();
    board = undefined;
  });

  it("flashes the massager firmware, verifies it and reports the firmware's answer", async () => {
    board = await startEmulatedBoard({ bootloader: optiboot, resetOnOpen: true, pins: [13] });
    const result = await runMassager(
      ["flash", "--port", board.ptyPath, "--firmware", "massager", "--board", "uno"],
      60_000,
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(result.code, output).toBe(0);
    expect(result.stderr, output).toContain("write...\nverify...\n"); // no TTY: phase lines instead of bars
    expect(result.stdout).toMatch(/Flashed and verified \d+ bytes in [\d.]+ s/);
    expect(result.stdout).toMatch(/The board answers: massager firmware \d+\.\d+\.\d+\./);
    expect(result.stdout).toContain(
      "Pins: vibration PWM D10, rotation PWM D9, direction D7 (HIGH: clockwise) / D8 (HIGH: counter-clockwise), STBY D4; PWM 20 kHz",
    );
  });

  it("flashes the prebuilt firmware shipped in the repository (Node alone, no toolchain needed)", async () => {
    board = await startEmulatedBoard({ bootloader: optiboot, resetOnOpen: true, pins: [13] });
    const result = await runMassager(["flash", "--port", board.ptyPath, "--firmware", "prebuilt"], 60_000);
    const output = `${result.stdout}${result.stderr}`;
    expect(result.code, output).toBe(0);
    expect(result.stdout).toMatch(
      /^Flashing the prebuilt massager firmware \(default pin map, .*prebuilt\/massager\.hex\)/,
    );
    expect(result.stdout).toContain("Pins: vibration PWM D10, rotation PWM D9");
  });

  it("fails in one line with a fix for a missing port and a missing file", async () => {
    const port = await runMassager(["flash", "--port", "/dev/ttyNOPE0", "--firmware", "massager"]);
    expect(port.code).toBe(4);
    expect(port.stderr).toMatch(/^massager: serial:\/dev\/ttyNOPE0: no such port \(E300 PortNotFound\)\n {2}fix: /);
    const file = await runMassager(["flash", "--port", "/dev/ttyNOPE0", "--firmware", "nothing-here.hex"]);
    expect(file.code).toBe(6);
    expect(file.stderr).toMatch(/^massager: no firmware file at .*nothing-here\.hex \(E502 FirmwareMissing\)/);
    const boardName = await runMassager(["flash", "--board", "mega"]);
    expect(boardName.code).toBe(2);
    expect(boardName.stderr).toContain("give uno (Optiboot, 115200 baud) or nano");
  });
});
