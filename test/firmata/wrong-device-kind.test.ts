/**
 * Issue 14 item 9: a board running StandardFirmata given `serial:`, and one running the massager
 * firmware given `firmata:`, are recognised, and the error names the spec to use; a bare port path
 * suggests `serial:`; a missing --pins exits 1 (an option the command line lacks), as the README's table says.
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { buildFirmware } from "../../device/firmware/tools/avr-build.ts";
import { standardFirmataHex } from "../../device/flash/standard-firmata.ts";
import { goSilent } from "../../device/simulator/behaviours.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";
import { runMassager } from "../support/massager-cli.ts";
import { virtualRig } from "../support/sessions.ts";

const CACHE = join(import.meta.dirname, "..", "..", ".cache");

describe("--device messages that point to the real problem", () => {
  it("suggests serial: for a bare port path, and lists every kind of device", async () => {
    const bare = await runMassager(["play", "daily-hair-care", "--device", "/dev/ttyACM0"]);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain("--device /dev/ttyACM0: a port path needs its kind of device in front");
    expect(bare.stderr).toContain(
      "fix: write --device serial:/dev/ttyACM0 for the massager firmware, or --device firmata:/dev/ttyACM0",
    );
    const unknown = await runMassager(["play", "daily-hair-care", "--device", "usb:3"]);
    expect(unknown.stderr).toContain(
      "use one of: sim, serial:PATH, tcp:HOST:PORT, ble[:NAME], firmata:PATH --pins MAP",
    );
  });

  it("says another program may be reading a port that sends nothing", async () => {
    const { clock, sim, controller } = virtualRig();
    sim.device.use(goSilent());
    const failure = await clock.runUntil(
      controller.connect().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(isMassagerError(failure, ErrorCode.HandshakeFailed) && failure.message).toMatch(/it sent nothing/);
    expect(isMassagerError(failure) && failure.hint).toMatch(
      /^another program may be reading the port \(a serial monitor/,
    );
    await clock.runUntil(controller.close());
  });

  it("exits 1 for a firmata: device without --pins", async () => {
    const run = await runMassager(["play", "daily-hair-care", "--device", "firmata:/dev/ttyNOPE0"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^massager: the Firmata path needs a pin map/);
  });
});

describe.runIf(toolchainAvailable())("a board given the wrong kind of device", { timeout: 90_000 }, () => {
  let board: EmulatedBoard | undefined;
  let firmataHex: string;
  let massagerHex: string;

  beforeAll(async () => {
    firmataHex = await standardFirmataHex("uno", CACHE);
    massagerHex = (await buildFirmware()).hex;
  }, 180_000);

  afterEach(async () => {
    await board?.stop();
    board = undefined;
  });

  it("says a serial: board runs StandardFirmata and names the firmata: spec", async () => {
    board = await startEmulatedBoard({ firmware: firmataHex, pins: [9] });
    const run = await runMassager(["play", "daily-hair-care", "--device", `serial:${board.ptyPath}`], 60_000);
    expect(run.code, run.stderr).toBe(5);
    expect(run.stderr).toContain(`serial:${board.ptyPath} runs StandardFirmata`);
    expect(run.stderr).toContain(`fix: play on it with --device firmata:${board.ptyPath} --pins vib=10`);
  });

  it("says a firmata: board runs the massager firmware and names the serial: spec", async () => {
    board = await startEmulatedBoard({ firmware: massagerHex, pins: [9] });
    const run = await runMassager(
      ["play", "daily-hair-care", "--device", `firmata:${board.ptyPath}`, "--pins", "vib=10,rot=9,dir=7,cdir=8"],
      60_000,
    );
    expect(run.code, run.stderr).toBe(5);
    expect(run.stderr).toContain(`firmata:${board.ptyPath} runs the massager firmware`);
    expect(run.stderr).toContain(`fix: play on it with --device serial:${board.ptyPath}`);
  });
});
