/**
 * `massager simulate --board uno|nano [--bootloader] [--firmware massager|prebuilt|FILE.hex]`:
 * the emulated board (device/avr-sim, simavr) with the massager firmware behind its bootloader, as
 * a real Uno or Nano: opening its port resets it into the bootloader (DTR auto-reset), a client at
 * another baud rate than the bootloader's or the firmware's reads garbage, and `--bootloader`
 * leaves the flash empty so `massager flash` has something to do. It prints its port, then the
 * motor pins as power and direction a person can read, until Ctrl-C.
 */
import { buildOptiboot, NANO_OLD_BOOTLOADER_HEX } from "../../avr-sim/bootloaders.ts";
import { type EmulatedBoard, startEmulatedBoard } from "../../avr-sim/emulated-board.ts";
import { describeMotors, motorView, reportedPins } from "../../avr-sim/motor-view.ts";
import { BOARDS, type BoardName } from "../../flash/boards.ts";
import { chooseFirmware } from "../../flash/firmware-choice.ts";
import { DEFAULT_PINS } from "../../reference-device/capabilities.ts";
import { ExitCode } from "../exit-codes.ts";
import { guardSignals, reportStopped } from "../signal-guard.ts";

export interface SimulateBoardOptions {
  board: BoardName;
  /** Only the bootloader: an empty board to flash. */
  bootloader?: boolean;
  /** massager (your build, else the prebuilt), prebuilt, or FILE.hex. */
  firmware?: string;
}

/** How often the motor line is refreshed, ms. */
const VIEW_MS = 100;

async function bootloaderHex(board: BoardName): Promise<string> {
  return board === "uno" ? buildOptiboot() : NANO_OLD_BOOTLOADER_HEX;
}

export async function simulateBoard(options: SimulateBoardOptions): Promise<number> {
  const profile = BOARDS[options.board];
  const firmware = options.bootloader ? undefined : await chooseFirmware(options.firmware ?? "massager", profile.name);
  // The map the display reads: the firmware's default (a custom build's own map is what PINS reports).
  const pins = DEFAULT_PINS;
  let board: EmulatedBoard | undefined;
  const signals = guardSignals(() => board?.stop());
  try {
    board = await startEmulatedBoard({
      bootloader: await bootloaderHex(profile.name),
      ...(firmware ? { firmware: firmware.path } : {}),
      resetOnOpen: true,
      checkBaud: true,
      pins: reportedPins(pins),
      startTimeoutMs: 20_000,
    });
  } catch (error) {
    signals.dispose();
    throw error;
  }
  const out = process.stdout;
  out.write(`pty: ${board.ptyPath}\n`);
  out.write(`# an emulated Arduino ${profile.name} (ATmega328P, ${profile.bootloader} at ${profile.baudRate} baud)`);
  out.write(firmware ? ` running ${firmware.path}\n` : " with an empty flash\n");
  out.write(
    firmware
      ? `# play on it: massager play <routine> --device serial:${board.ptyPath}\n`
      : `# flash it:   massager flash --port ${board.ptyPath} --board ${profile.name}\n`,
  );
  out.write(
    `# motor pins: vibration D${pins.vib}, rotation D${pins.rot}, direction D${pins.cw}/D${pins.ccw}, STBY D${pins.stby}\n`,
  );

  const tty = out.isTTY === true;
  let last = "";
  const show = (): void => {
    if (!board) return;
    const line = describeMotors(motorView(board, pins));
    if (line === last) return;
    last = line;
    out.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
  show();
  const timer = setInterval(show, VIEW_MS);
  const exited = new Promise<number | null>((resolve) => board?.emitter.once("exit", resolve));
  const halted = (): string => {
    const event = board?.events.find((e) => e.kind === "halted");
    return event?.kind === "halted" ? `: the emulated MCU ${event.state}` : "";
  };
  const outcome = await Promise.race([signals.received, exited]);
  clearInterval(timer);
  if (tty) out.write("\n");
  await board.stop();
  // A signal stops the board itself: its exit may then win the race against `received`.
  const signal = typeof outcome === "string" ? outcome : signals.signal;
  signals.dispose();
  if (signal !== undefined) {
    reportStopped(signal);
    return ExitCode.Interrupted;
  }
  process.stderr.write(
    `massager: the emulated ${profile.name} stopped (simavr exited with code ${outcome})${halted()}\n`,
  );
  return ExitCode.DeviceFailed;
}
