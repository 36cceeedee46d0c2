/**
 * `massager flash [--port PATH] [--firmware massager|firmata|FILE.hex] [--board uno|nano]`:
 * writes firmware through the board's bootloader with a progress bar, verifies it, then talks
 * to the new firmware. Ctrl-C stops between pages (the board then needs flashing again).
 */
import { SingleBar } from "cli-progress";
import { type Command, InvalidArgumentError } from "commander";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import { FIRMATA_NO_WATCHDOG_WARNING } from "../../firmata/firmata-transport.ts";
import { PIN_MAP_EXAMPLE } from "../../firmata/pin-map.ts";
import { BOARDS, type BoardName } from "../../flash/boards.ts";
import { chooseFirmware, type FirmwareChoice } from "../../flash/firmware-choice.ts";
import { type FlashPhase, flashFirmware } from "../../flash/flash.ts";
import { firmataAfterFlash, helloAfterFlash } from "../../hw/boot-check.ts";
import { describePins } from "../../hw/pin-report.ts";
import { isArduinoLike, listSerialPorts } from "../../transport/serial-ports.ts";
import { ExitCode } from "../exit-codes.ts";

interface FlashCliOptions {
  port?: string;
  firmware: string;
  board: BoardName;
}

function parseBoard(text: string): BoardName {
  if (text === "uno" || text === "nano") return text;
  throw new InvalidArgumentError("give uno (Optiboot, 115200 baud) or nano (old bootloader, 57600 baud)");
}

/** The one Arduino-looking serial port, or an error that lists what there is. */
async function findPort(): Promise<string> {
  const { ports } = await listSerialPorts();
  const boards = ports.filter(isArduinoLike);
  if (boards.length === 1 && boards[0]) return boards[0].path;
  const listed = ports.map((port) => port.path).join(", ") || "none";
  throw new MassagerError(
    ErrorCode.PortNotFound,
    boards.length === 0 ? "no Arduino board found on USB" : `${boards.length} Arduino boards found`,
    { hint: `name the port with --port (serial ports here: ${listed})` },
  );
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function progressReporter(): { update: (phase: FlashPhase, done: number, total: number) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let current: FlashPhase | undefined;
  return {
    update(phase, done, total) {
      if (phase !== current) {
        bar?.stop();
        current = phase;
        if (tty) {
          bar = new SingleBar({
            stream: process.stderr,
            format: `${phase.padEnd(6)} |{bar}| {percentage}% {value}/{total} bytes`,
            hideCursor: true,
          });
          bar.start(total, 0);
        } else process.stderr.write(`${phase}...\n`);
      }
      bar?.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** What is being flashed, in words: whose build, which pin map. */
function firmwareLabel(firmware: FirmwareChoice): string {
  if (firmware.kind === "file") return firmware.path;
  if (firmware.origin?.from === "prebuilt") return `the prebuilt massager firmware (default pin map, ${firmware.path})`;
  if (firmware.origin?.from === "build") {
    const defines = firmware.origin.defines.map((define) => `-D${define}`).join(" ");
    return `your massager firmware build${defines ? ` (${defines})` : ""} (${firmware.path})`;
  }
  return `${firmware.kind} firmware (${firmware.path})`;
}

export function registerFlashCommand(program: Command): void {
  program
    .command("flash")
    .description("Write the massager firmware (or StandardFirmata, or a .hex file) to an Uno or Nano over USB")
    .option("--port <path>", "the board's serial port (default: the one Arduino on USB)")
    .option(
      "--firmware <name>",
      "massager (your build of device/firmware, else the prebuilt one), prebuilt (default pin map), firmata (StandardFirmata), or FILE.hex",
      "massager",
    )
    .option("--board <board>", "uno (Optiboot, 115200 baud) or nano (old bootloader, 57600 baud)", parseBoard, "uno")
    .action(async (options: FlashCliOptions) => {
      const board = BOARDS[options.board];
      const firmware = await chooseFirmware(options.firmware, board.name);
      const port = options.port ?? (await findPort());
      const label = firmwareLabel(firmware);
      process.stdout.write(
        `Flashing ${label}, ${firmware.image.bytes.length} bytes, to ${port} (${board.name}: ${board.bootloader}, ${board.baudRate} baud)\n`,
      );

      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      const progress = progressReporter();
      try {
        const result = await flashFirmware(
          { port, board, image: firmware.image, onProgress: progress.update, signal: abort.signal },
          firmware.path,
        );
        progress.stop();
        process.stdout.write(
          `Flashed and verified ${result.bytes} bytes in ${seconds(result.writeMs + result.verifyMs)} ` +
            `(write ${seconds(result.writeMs)}, verify ${seconds(result.verifyMs)}).\n`,
        );
      } catch (error) {
        progress.stop();
        if (abort.signal.aborted) {
          process.stderr.write("massager: flashing interrupted; the board has no complete firmware: flash it again.\n");
          process.exitCode = ExitCode.Interrupted;
          return;
        }
        throw error;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }

      if (firmware.kind === "massager") {
        const identity = await helloAfterFlash(port);
        process.stdout.write(`The board answers: massager firmware ${identity.firmware}.\n`);
        if (identity.pins) process.stdout.write(`Pins: ${describePins(identity.pins)}\n`);
        process.stdout.write(`Next: massager play ROUTINE --device serial:${port}\n`);
      } else if (firmware.kind === "firmata") {
        const name = await firmataAfterFlash(port);
        process.stdout.write(`The board answers: ${name}.\n`);
        process.stdout.write(`Next: massager play ROUTINE --device firmata:${port} ${PIN_MAP_EXAMPLE}\n`);
        process.stdout.write(`Note: ${FIRMATA_NO_WATCHDOG_WARNING}\n`);
      } else {
        process.stdout.write("The board was reset into the new firmware.\n");
      }
    });
}
