/**
 * When a board does not answer the way its `--device` kind expects, asks it the other way:
 * a board given `serial:` that runs StandardFirmata answers the Firmata version query at 57600
 * baud; a board given `firmata:` that runs the massager firmware answers HELLO at 115200. The
 * error then names what the board runs and the spec to use.
 */
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { connectFirmata } from "../firmata/firmata-board.ts";
import { PIN_MAP_EXAMPLE } from "../firmata/pin-map.ts";
import { drainAndClose } from "../transport/open-serial-port.ts";
import { helloAfterFlash } from "./boot-check.ts";

/** How long the other kind of firmware is given to answer (an Uno resets on open, its bootloader waits ~1 s). */
const PROBE_MS = 3_000;

/** A `serial:PATH` handshake that got no answer: is it StandardFirmata? Returns the better error, or `error`. */
export async function explainSilentSerialPort(error: unknown, path: string): Promise<unknown> {
  if (!isMassagerError(error, ErrorCode.HandshakeFailed) || !/no answer to HELLO/.test(error.message)) return error;
  try {
    const connection = await connectFirmata({ path, handshakeTimeoutMs: PROBE_MS, reportVersionTimeoutMs: 1_500 });
    await drainAndClose(connection.port);
    return new MassagerError(
      ErrorCode.HandshakeFailed,
      `serial:${path} runs ${connection.firmware} (Firmata), not the massager firmware`,
      {
        hint: `play on it with --device firmata:${path} ${PIN_MAP_EXAMPLE}, or flash the massager firmware: massager flash --port ${path}`,
      },
    );
  } catch {
    return error;
  }
}

/** A `firmata:PATH` handshake that got no answer: is it the massager firmware? Returns the better error, or `error`. */
export async function explainSilentFirmataPort(error: unknown, path: string): Promise<unknown> {
  if (!isMassagerError(error, ErrorCode.HandshakeFailed)) return error;
  try {
    const identity = await helloAfterFlash(path, PROBE_MS);
    return new MassagerError(
      ErrorCode.HandshakeFailed,
      `firmata:${path} runs the massager firmware ${identity.firmware}, not StandardFirmata`,
      { hint: `play on it with --device serial:${path} (no --pins needed: the firmware knows its pins)` },
    );
  } catch {
    return error;
  }
}
