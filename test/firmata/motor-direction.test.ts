/**
 * Issue 14 item 1: the Firmata path must never drive the head one way while the session shows
 * the other. A rotation level that rounds to PWM 0 used to record its direction without writing
 * the pins, so the next non-zero level changed only the speed. Here every applied level goes
 * through the real MotorSink, johnny-five and StandardFirmata to the emulated Uno's pins, and the
 * direction pins are compared with the sign of each level. STBY (D4) follows: high only while a
 * level is non-zero, low on stopAll.
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { connectFirmata, type FirmataConnection } from "../../device/firmata/firmata-board.ts";
import { MotorSink } from "../../device/firmata/motor-sink.ts";
import type { FirmataPinMap } from "../../device/firmata/pin-map.ts";
import { standardFirmataHex } from "../../device/flash/standard-firmata.ts";
import { pwmSteps } from "../../protocol/pwm.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";

const CACHE = join(import.meta.dirname, "..", "..", ".cache");
const PINS: FirmataPinMap = { vibration: { pwm: 10 }, rotation: { pwm: 9, dir: 7, cdir: 8 }, stby: 4 };

// Ramps through zero as the core's slew limit makes them, with the levels that round to PWM 0
// (|level| < 2) between reversals: the sequence that turned the head the wrong way.
const LEVELS = [400, 100, 1, 0, -1, -3, -100, -400, -2, 1, 3, 60, -1, 0, 2, -5, -1, 4, 250, -1, -250, 0];

describe.runIf(toolchainAvailable(["gcc", "pkg-config"]))("the Firmata motor sink on the emulated Uno's pins", () => {
  let firmataHex: string;
  let board: EmulatedBoard | undefined;
  let connection: FirmataConnection | undefined;

  beforeAll(async () => {
    firmataHex = await standardFirmataHex("uno", CACHE);
  }, 120_000);

  afterEach(async () => {
    if (connection?.port.isOpen) await new Promise<void>((resolve) => connection?.port.close(() => resolve()));
    await board?.stop();
    connection = undefined;
    board = undefined;
  });

  /** Resolves once the board has answered a round trip, so every earlier write reached its pins. */
  async function settled(io: FirmataConnection["io"], emulated: EmulatedBoard): Promise<void> {
    await new Promise<void>((resolve) =>
      (io as unknown as { reportVersion(cb: () => void): void }).reportVersion(resolve),
    );
    await emulated.simTimeUs(5_000);
  }

  it("drives the direction pins by the sign of every applied rotation level", async () => {
    board = await startEmulatedBoard({ firmware: firmataHex, pins: [4, 7, 8, 9, 10] });
    connection = await connectFirmata({ path: board.ptyPath });
    const sink = new MotorSink(connection.five, connection.board, PINS);
    await settled(connection.io, board);
    expect(board.duty(9)).toBe(0);
    expect(board.level(4)).toBe(0);

    const mismatches: string[] = [];
    for (const rot of LEVELS) {
      sink.apply({ vib: 0, rot });
      await settled(connection.io, board);
      const speed = pwmSteps(rot, 255);
      const seen = `rot ${rot}: PWM ${board.duty(9)}, IN1 ${board.level(7)}, IN2 ${board.level(8)}`;
      if (board.duty(9) !== speed) mismatches.push(`${seen} (PWM should be ${speed})`);
      if (board.level(4) !== (rot !== 0 ? 1 : 0)) mismatches.push(`${seen}: STBY ${board.level(4)}`);
      if (speed > 0 && (board.level(7) !== (rot > 0 ? 1 : 0) || board.level(8) !== (rot < 0 ? 1 : 0))) {
        mismatches.push(`${seen} (turns ${rot > 0 ? "counter-clockwise" : "clockwise"}, should be the other way)`);
      }
    }
    expect(mismatches).toEqual([]);

    // And over the whole trace: whenever the rotation PWM is up, exactly one direction pin is high.
    const levels = new Map<number, number>();
    for (const event of board.events) {
      if (event.kind === "pin") levels.set(event.pin, event.value);
      if (event.kind === "pwm" && event.pin === 9 && event.value > 0) {
        expect((levels.get(7) ?? 0) + (levels.get(8) ?? 0)).toBe(1);
      }
    }
    sink.apply({ vib: 300, rot: 200 });
    await settled(connection.io, board);
    expect(board.level(4)).toBe(1);
    sink.stopAll();
    await settled(connection.io, board);
    expect(board.duty(9)).toBe(0);
    expect(board.duty(10)).toBe(0);
    expect(board.level(4)).toBe(0);
  }, 60_000);
});
