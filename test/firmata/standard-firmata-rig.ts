/**
 * StandardFirmata in the emulated Uno behind the Firmata bridge, for the bridge's suites: the hex
 * is fetched once per suite (cached in .cache/), and every board and bridge a test opens is closed
 * after it.
 */
import { join } from "node:path";
import { afterEach, beforeAll } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { FirmataTransport } from "../../device/firmata/firmata-transport.ts";
import type { FirmataPinMap } from "../../device/firmata/pin-map.ts";
import { standardFirmataHex } from "../../device/flash/standard-firmata.ts";

const CACHE = join(import.meta.dirname, "..", "..", ".cache");

/** The bridge's pin map most tests use: vibration on D5, rotation PWM on D6 with its direction on D7. */
export const FIRMATA_TEST_PINS: FirmataPinMap = { vibration: { pwm: 5 }, rotation: { pwm: 6, dir: 7 } };

export interface FirmataRig {
  board: EmulatedBoard;
  transport: FirmataTransport;
}

/** Registers the suite's hooks; call the result in a test to boot a board and open the bridge on it. */
export function useFirmataBoards(): (pins?: FirmataPinMap) => Promise<FirmataRig> {
  let firmataHex: string;
  let open: FirmataRig | undefined;
  beforeAll(async () => {
    firmataHex = await standardFirmataHex("uno", CACHE);
  }, 120_000);
  afterEach(async () => {
    const rig = open;
    open = undefined;
    await rig?.transport.close();
    await rig?.board.stop();
  });
  return async (pins = FIRMATA_TEST_PINS) => {
    const board = await startEmulatedBoard({ firmware: firmataHex, pins: [5, 6, 7, 8, 9] });
    const transport = new FirmataTransport({ path: board.ptyPath, pins });
    open = { board, transport };
    await transport.open();
    return open;
  };
}
