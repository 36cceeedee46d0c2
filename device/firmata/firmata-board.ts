/**
 * Connects to a board running StandardFirmata: opens the serial port (57600 baud), lets
 * firmata-io handshake (we ask for the version at once rather than wait for a boot report
 * that the port's flush on open may have eaten), and wraps it in a johnny-five Board that
 * leaves the process alone (no REPL, no console output, no SIGINT handler).
 */
import type { SerialPort } from "serialport";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { openSerialPort } from "../transport/open-serial-port.ts";
import { type FirmataIo, type FiveBoard, type JohnnyFive, loadFirmataIo, loadJohnnyFive } from "./johnny-five.ts";

/** StandardFirmata's baud rate. */
const FIRMATA_BAUD = 57_600;

export interface FirmataConnection {
  port: SerialPort;
  io: FirmataIo;
  board: FiveBoard;
  five: JohnnyFive;
  /** e.g. `StandardFirmata.ino 2.4`. */
  firmware: string;
}

export interface ConnectFirmataOptions {
  path: string;
  /** How long the Firmata handshake may take, ms. Default 5000. */
  handshakeTimeoutMs?: number;
  /** How long to wait for the board's own version report before asking, ms. Default 100. */
  reportVersionTimeoutMs?: number;
}

function onceWithTimeout(
  emitter: NodeJS.EventEmitter,
  event: string,
  timeoutMs: number,
  onTimeout: () => MassagerError,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, done);
      reject(onTimeout());
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    emitter.once(event, done);
  });
}

/** Opens the port and completes the Firmata handshake; closes the port again on any failure. */
export async function connectFirmata(options: ConnectFirmataOptions): Promise<FirmataConnection> {
  const timeoutMs = options.handshakeTimeoutMs ?? 5_000;
  const port = await openSerialPort(options.path, FIRMATA_BAUD);
  const noAnswer = (): MassagerError =>
    new MassagerError(
      ErrorCode.HandshakeFailed,
      `no Firmata firmware answered on ${options.path} within ${timeoutMs} ms`,
      {
        hint: `flash StandardFirmata first: massager flash --firmware firmata --port ${options.path}`,
      },
    );
  try {
    const Firmata = loadFirmataIo();
    const io = new Firmata(port, { reportVersionTimeout: options.reportVersionTimeoutMs ?? 100 });
    // Errors after the handshake are the bridge's to handle; before it they end the attempt.
    const failed = new Promise<never>((_, reject) => {
      io.once("error", (error: unknown) =>
        reject(
          new MassagerError(ErrorCode.TransportFailed, `Firmata link to ${options.path} failed: ${String(error)}`),
        ),
      );
    });
    failed.catch(() => {}); // settled by the race below, or never
    await Promise.race([onceWithTimeout(io, "ready", timeoutMs, noAnswer), failed]);
    const five = loadJohnnyFive();
    const board = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: timeoutMs });
    // johnny-five turns log calls of type "error" into events; unhandled, they would throw.
    board.on("error", () => {});
    if (!board.isReady) await onceWithTimeout(board, "ready", timeoutMs, noAnswer);
    const { name, version } = io.firmware;
    return { port, io, board, five, firmware: `${name} ${version.major}.${version.minor}` };
  } catch (error) {
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    throw error;
  }
}
