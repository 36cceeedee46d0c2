/**
 * After flashing: proves the new firmware runs by talking to it. The massager firmware answers
 * HELLO with ID; StandardFirmata answers the Firmata version query. Opening the port may reset
 * the board (an Uno's DTR auto-reset), and the bootloader then waits about a second before it
 * starts the application, so both checks keep asking until their deadline.
 */
import { ReadlineParser } from "@serialport/parser-readline";
import { decode, encode } from "../../protocol/codec.ts";
import { Capability } from "../../protocol/commands.ts";
import type { PinReport } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { PROTOCOL_VERSION } from "../../protocol/limits.ts";
import { connectFirmata } from "../firmata/firmata-board.ts";
import { drainAndClose, openSerialPort } from "../transport/open-serial-port.ts";

/** The massager firmware's baud rate (PROTOCOL.md). */
const MASSAGER_BAUD = 115_200;

/** What the new firmware says of itself: its version and, from a 1.1 device, its pin map. */
export interface BoardIdentity {
  firmware: string;
  /** From PINS (protocol 1.1, Capability.Pins); undefined from a device without the bit. */
  pins?: PinReport;
}

/** How long a device with the Pins bit may take to answer PINS, ms. */
const PINS_TIMEOUT_MS = 2_000;

/** Sends HELLO until an ID answers, then PINS when the device knows it; resolves with what it reports. */
export async function helloAfterFlash(path: string, timeoutMs = 10_000): Promise<BoardIdentity> {
  const port = await openSerialPort(path, MASSAGER_BAUD);
  const lines = port.pipe(new ReadlineParser({ delimiter: "\n" }));
  try {
    return await new Promise<BoardIdentity>((resolve, reject) => {
      let seq = 1;
      let firmware: string | undefined;
      let pinsSeq = -1;
      let pinsTimer: NodeJS.Timeout | undefined;
      const onLine = (raw: string): void => {
        const result = decode(raw.replace(/\r$/, ""));
        if (result.kind !== "message") return;
        const message = result.message;
        if (message.type === "ID" && firmware === undefined) {
          firmware = message.firmware;
          clearInterval(timer);
          if ((message.caps & Capability.Pins) === 0) {
            finish();
            resolve({ firmware });
            return;
          }
          pinsSeq = seq++;
          port.write(`${encode({ type: "PINS", seq: pinsSeq })}\n`);
          // The pin map is a courtesy: without an answer the flash still succeeded.
          pinsTimer = setTimeout(() => {
            finish();
            resolve({ firmware: firmware ?? "" });
          }, PINS_TIMEOUT_MS);
        } else if (message.type === "PN" && message.seq === pinsSeq && firmware !== undefined) {
          finish();
          const { type: _, seq: __, ...pins } = message;
          resolve({ firmware, pins });
        }
      };
      const ask = (): void => {
        port.write(`${encode({ type: "HELLO", seq: seq++, proto: PROTOCOL_VERSION })}\n`);
      };
      const timer = setInterval(ask, 300);
      const deadline = setTimeout(() => {
        finish();
        reject(
          new MassagerError(
            ErrorCode.HandshakeFailed,
            `the new firmware on ${path} did not answer HELLO within ${timeoutMs} ms`,
            {
              hint: `press the board's reset button, then run: massager play --device serial:${path}`,
            },
          ),
        );
      }, timeoutMs);
      const finish = (): void => {
        clearInterval(timer);
        clearTimeout(deadline);
        clearTimeout(pinsTimer);
        lines.off("data", onLine);
      };
      lines.on("data", onLine);
      ask();
    });
  } finally {
    port.unpipe(lines);
    await drainAndClose(port);
  }
}

/** Connects with Firmata until the board answers; resolves with its firmware name and version. */
export async function firmataAfterFlash(path: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await connectFirmata({
        path,
        handshakeTimeoutMs: Math.max(500, Math.min(5_000, deadline - Date.now())),
        reportVersionTimeoutMs: 1_500,
      });
      await drainAndClose(connection.port);
      return connection.firmware;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof MassagerError
    ? lastError
    : new MassagerError(ErrorCode.HandshakeFailed, `StandardFirmata on ${path} did not answer within ${timeoutMs} ms`);
}
