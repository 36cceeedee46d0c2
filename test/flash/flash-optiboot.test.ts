import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildOptiboot, NANO_OLD_BOOTLOADER_HEX } from "../../device/avr-sim/bootloaders.ts";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { buildFirmware } from "../../device/firmware/tools/avr-build.ts";
import { BOARDS } from "../../device/flash/boards.ts";
import { chooseFirmware } from "../../device/flash/firmware-choice.ts";
import { flashFirmware } from "../../device/flash/flash.ts";
import { firmataAfterFlash, helloAfterFlash } from "../../device/hw/boot-check.ts";
import { drainAndClose, openSerialPort } from "../../device/transport/open-serial-port.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { buildSketch, buildSketchHex, toolchainAvailable } from "../support/avr-toolchain.ts";

const CACHE = join(import.meta.dirname, "..", "..", ".cache");
const ECHO_SKETCH = join(import.meta.dirname, "..", "avr-sim", "fixtures", "echo-pwm.c");

describe.runIf(toolchainAvailable())(
  "flashing through the bootloader of an emulated board",
  { timeout: 45_000 },
  () => {
    let optiboot: string;
    let massagerHex: string;
    let board: EmulatedBoard | undefined;

    beforeAll(async () => {
      optiboot = await buildOptiboot();
      massagerHex = (await buildFirmware()).hex;
    }, 180_000);

    afterEach(async () => {
      await board?.stop();
      board = undefined;
    });

    it("flashes the massager firmware through Optiboot, verifies it, and the new firmware answers HELLO", async () => {
      // Opening the port resets the board, as an Uno's DTR auto-reset does: Optiboot then waits for us.
      board = await startEmulatedBoard({ bootloader: optiboot, resetOnOpen: true, pins: [13] });
      const firmware = await chooseFirmware("massager", "uno", { massagerHex });
      const progress: Array<[string, number, number]> = [];
      const result = await flashFirmware({
        port: board.ptyPath,
        board: BOARDS.uno,
        image: firmware.image,
        onProgress: (phase, done, total) => progress.push([phase, done, total]),
      });
      expect(result.bytes).toBe(firmware.image.bytes.length);
      expect(result.pages).toBe(Math.ceil(result.bytes / 128));
      expect(progress.filter(([phase]) => phase === "write")).toHaveLength(result.pages);
      expect(progress.at(-1)).toEqual(["verify", result.pages * 128, result.pages * 128]);
      // Optiboot left through its watchdog into the new application.
      await board.waitFor((e) => e.kind === "reset" && e.cause === "watchdog", 10_000);
      const identity = await helloAfterFlash(board.ptyPath);
      expect(identity.firmware).toMatch(/^\d+\.\d+\.\d+$/);
      // Protocol 1.1: it reports the pin map it was built with.
      expect(identity.pins).toEqual({ drv: "PD", vib: 10, rot: 9, cw: 7, ccw: 8, stby: 4, pwmHz: 20_000 });
    });

    it("flashes StandardFirmata, which then answers the Firmata version query", async () => {
      board = await startEmulatedBoard({ bootloader: optiboot, resetOnOpen: true, pins: [13] });
      const firmware = await chooseFirmware("firmata", "uno", { cacheDir: CACHE });
      await flashFirmware({ port: board.ptyPath, board: BOARDS.uno, image: firmware.image });
      expect(await firmataAfterFlash(board.ptyPath)).toMatch(/^StandardFirmata\S* 2\.\d+$/);
    });

    it("flashes an old Nano (ATmegaBOOT at 57600 baud) with --board nano, and the sketch runs", async () => {
      board = await startEmulatedBoard({ bootloader: NANO_OLD_BOOTLOADER_HEX, resetOnOpen: true, pins: [6] });
      const firmware = await chooseFirmware(await buildSketchHex(ECHO_SKETCH), "nano");
      expect(firmware.kind).toBe("file");
      const result = await flashFirmware({ port: board.ptyPath, board: BOARDS.nano, image: firmware.image });
      expect(result.signature).toEqual([0x1e, 0x95, 0x0f]);
      // ATmegaBOOT starts the application after its timeout; the sketch then drives D6 when asked.
      const port = await openSerialPort(board.ptyPath, 57_600);
      try {
        const since = board.events.length;
        const deadline = Date.now() + 20_000; // a wait: long, for a loaded machine
        while (board.duty(6) !== 125 && Date.now() < deadline) {
          port.write("5");
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 125, 100, since);
      } finally {
        await drainAndClose(port);
      }
    });

    it("says no bootloader answered when the board runs a sketch instead", async () => {
      const sketch = await buildSketch(ECHO_SKETCH);
      board = await startEmulatedBoard({ firmware: sketch, pins: [6] });
      const firmware = await chooseFirmware("massager", "uno", { massagerHex });
      const error = await flashFirmware({
        port: board.ptyPath,
        board: BOARDS.uno,
        image: firmware.image,
        syncTimeoutMs: 800,
      }).catch((e: unknown) => e);
      expect(isMassagerError(error, ErrorCode.FlashFailed)).toBe(true);
      expect(String(error)).toContain(`no bootloader answered on ${board.ptyPath} at 115200 baud`);
    });
  },
);
