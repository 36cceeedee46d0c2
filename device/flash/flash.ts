/**
 * Writes a firmware image through a board's serial bootloader (Optiboot on the Uno, the old
 * ATmegaBOOT on older Nanos), then reads every page back to verify it.
 *
 *   open port ─► reset (DTR/RTS pulse) ─► GET_SYNC until the bootloader answers ─► signature
 *   ─► for each page: write ─► for each page: read back and compare ─► leave (the app starts)
 */
import type { SerialPort } from "serialport";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { drainAndClose, openSerialPort } from "../transport/open-serial-port.ts";
import { type BoardProfile, chipName } from "./boards.ts";
import type { FlashImage } from "./intel-hex.ts";
import { type ByteLink, Stk500Client } from "./stk500.ts";

export type FlashPhase = "write" | "verify";

export interface FlashOptions {
  /** Serial port of the board. */
  port: string;
  board: BoardProfile;
  image: FlashImage;
  /** Called after each page: bytes done of the phase's total. */
  onProgress?: (phase: FlashPhase, done: number, total: number) => void;
  /** How long to keep asking for the bootloader after the reset, ms. Default 4000. */
  syncTimeoutMs?: number;
  /** Stops between pages; the board is then left without a complete firmware. */
  signal?: AbortSignal;
}

export interface FlashResult {
  bytes: number;
  pages: number;
  writeMs: number;
  verifyMs: number;
  signature: number[];
}

function serialLink(port: SerialPort): ByteLink {
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve()));
      }),
    onData(listener) {
      const onData = (chunk: Buffer): void => listener(new Uint8Array(chunk));
      port.on("data", onData);
      return () => port.off("data", onData);
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resets the board the way the Arduino tools do: DTR and RTS released, then asserted (the
 * board's capacitor turns the edge into a reset pulse). A link without modem lines (a
 * pseudo-terminal) refuses this; there the board is reset by whoever opened it.
 */
async function pulseReset(port: SerialPort): Promise<void> {
  const set = (level: boolean): Promise<void> =>
    new Promise((resolve) => port.set({ dtr: level, rts: level }, () => resolve()));
  await set(false);
  await sleep(250);
  await set(true);
  await sleep(50);
}

/** The image padded to whole pages, checked against the space below the bootloader. */
export function pagesOf(image: FlashImage, board: BoardProfile, source: string): Uint8Array {
  if (image.bytes.length > board.applicationBytes) {
    throw new MassagerError(
      ErrorCode.FlashFailed,
      `${source} needs ${image.bytes.length} bytes of flash; the ${board.name} has ${board.applicationBytes} below its bootloader`,
      { hint: "check that the file was built for an ATmega328P board, or choose the right --board" },
    );
  }
  const size = Math.ceil(image.bytes.length / board.pageSize) * board.pageSize;
  const padded = new Uint8Array(size).fill(0xff);
  padded.set(image.bytes);
  return padded;
}

function aborted(): MassagerError {
  return new MassagerError(ErrorCode.FlashFailed, "flashing was interrupted: the board has no complete firmware now", {
    hint: "flash again before using the board",
  });
}

/** Flashes `image` and verifies it; rejects with FlashFailed, VerifyFailed or a port error naming the fix. */
export async function flashFirmware(options: FlashOptions, source = "the firmware"): Promise<FlashResult> {
  const flash = pagesOf(options.image, options.board, source);
  const port = await openSerialPort(options.port, options.board.baudRate);
  try {
    await pulseReset(port);
    return await programBoard(serialLink(port), flash, options);
  } finally {
    await drainAndClose(port);
  }
}

/**
 * The STK500v1 session itself, over any byte link, once the board has been reset: sync,
 * signature, write, verify, leave. `flash` is whole pages (see pagesOf).
 */
export async function programBoard(link: ByteLink, flash: Uint8Array, options: FlashOptions): Promise<FlashResult> {
  const { board } = options;
  const stk = new Stk500Client(link);
  try {
    if (!(await stk.sync(options.syncTimeoutMs ?? 4_000))) {
      throw new MassagerError(
        ErrorCode.FlashFailed,
        `no bootloader answered on ${options.port} at ${board.baudRate} baud (expected ${board.bootloader})`,
        {
          hint:
            board.name === "uno"
              ? "an older Nano or a clone? use --board nano (57600 baud). Otherwise press reset just as flashing starts, and close any serial monitor"
              : "a newer Nano (Optiboot)? use --board uno (115200 baud). Otherwise press reset just as flashing starts, and close any serial monitor",
        },
      );
    }
    const signature = await stk.readSignature();
    if (signature.join() !== board.signature.join()) {
      throw new MassagerError(
        ErrorCode.FlashFailed,
        `the board on ${options.port} is ${chipName(signature)}, not the ${chipName(board.signature)} of an ${board.name}`,
        { hint: "this firmware is for Arduino Uno and Nano (ATmega328P) boards only" },
      );
    }
    await stk.enterProgMode();
    const pages = flash.length / board.pageSize;

    const writeStart = performance.now();
    for (let page = 0; page < pages; page++) {
      if (options.signal?.aborted) throw aborted();
      const address = page * board.pageSize;
      await stk.writePage(address, flash.subarray(address, address + board.pageSize));
      options.onProgress?.("write", address + board.pageSize, flash.length);
    }
    const writeMs = performance.now() - writeStart;

    const verifyStart = performance.now();
    for (let page = 0; page < pages; page++) {
      if (options.signal?.aborted) throw aborted();
      const address = page * board.pageSize;
      const read = await stk.readPage(address, board.pageSize);
      for (let i = 0; i < board.pageSize; i++) {
        const wrote = flash[address + i] ?? 0xff;
        if (read[i] !== wrote) {
          const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, "0");
          throw new MassagerError(
            ErrorCode.VerifyFailed,
            `verify failed at 0x${hex(address + i, 4)}: wrote 0x${hex(wrote, 2)}, read back 0x${hex(read[i] ?? 0, 2)}`,
            { hint: "flash again; if it fails at the same place, the chip's flash or the bootloader is damaged" },
          );
        }
      }
      options.onProgress?.("verify", address + board.pageSize, flash.length);
    }
    const verifyMs = performance.now() - verifyStart;

    await stk.leaveProgMode();
    return { bytes: options.image.bytes.length, pages, writeMs, verifyMs, signature };
  } finally {
    stk.dispose();
  }
}
