/**
 * `massager doctor`: asks each Arduino on USB what it runs: the massager firmware answers HELLO
 * with its version and PINS with its pin map (printed so the wiring can be checked against it).
 * Opening the port resets an Uno (its DTR auto-reset); a board that does not answer is a warning
 * (StandardFirmata, another sketch, or a serial monitor holding the port), never a failure.
 */
import { isMassagerError } from "../../protocol/errors.ts";
import { isArduinoLike, listSerialPorts, type SerialPortListing } from "../transport/serial-ports.ts";
import { helloAfterFlash } from "./boot-check.ts";
import { describePins } from "./pin-report.ts";

export interface BoardCheck {
  level: "ok" | "warn";
  what: string;
  fix?: string;
}

/** How long a board may take to answer (the bootloader waits about a second after the reset). */
const ANSWER_MS = 4_000;

export async function probeBoards(list: () => Promise<SerialPortListing> = listSerialPorts): Promise<BoardCheck[]> {
  const { ports } = await list();
  const boards = ports.filter(isArduinoLike);
  const checks: BoardCheck[] = [];
  for (const board of boards) {
    try {
      const identity = await helloAfterFlash(board.path, ANSWER_MS);
      checks.push({
        level: "ok",
        what:
          `${board.path}: massager firmware ${identity.firmware}` +
          (identity.pins
            ? `; pins: ${describePins(identity.pins)}`
            : " (protocol 1.0: no pin report; flash the new firmware)"),
      });
    } catch (error) {
      checks.push({
        level: "warn",
        what: `${board.path}: no massager firmware answered (${isMassagerError(error) ? error.message : String(error)})`,
        fix: `close any serial monitor on it; flash the firmware: massager flash --port ${board.path}`,
      });
    }
  }
  return checks;
}
