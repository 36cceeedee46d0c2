/**
 * The emulated board's motor pins as a person reads them: each motor's power in percent and the
 * head's direction, from the PWM duties and direction pins the harness reports, for a pin map.
 */
import type { PinReport } from "../../protocol/device-info.ts";
import type { EmulatedBoard } from "./emulated-board.ts";

export type Direction = "clockwise" | "counter-clockwise" | "stopped" | "both direction pins high!";

export interface MotorView {
  /** Vibration power, 0..100 %. */
  vibration: number;
  /** Rotation power, 0..100 %. */
  rotation: number;
  direction: Direction;
  /** The driver's STBY: true while enabled; undefined without a STBY pin. */
  standby: boolean | undefined;
}

const percent = (duty: number | undefined): number => Math.round(((duty ?? 0) * 100) / 255);

/** The pins a map uses, to have the harness report them. */
export function reportedPins(pins: PinReport): number[] {
  return [pins.vib, pins.rot, pins.cw, pins.ccw, pins.stby].filter((pin) => pin !== 0);
}

/** What the motors receive now, read from the board's last reported pin levels and duties. */
export function motorView(board: Pick<EmulatedBoard, "duty" | "level">, pins: PinReport): MotorView {
  let rotation: number;
  let direction: Direction;
  if (pins.drv === "PD") {
    rotation = percent(board.duty(pins.rot));
    const cw = board.level(pins.cw) === 1;
    const ccw = pins.ccw !== 0 && board.level(pins.ccw) === 1;
    direction =
      cw && ccw ? "both direction pins high!" : rotation === 0 ? "stopped" : cw ? "clockwise" : "counter-clockwise";
  } else {
    const cw = percent(board.duty(pins.cw));
    const ccw = percent(board.duty(pins.ccw));
    rotation = Math.max(cw, ccw);
    direction =
      cw > 0 && ccw > 0
        ? "both direction pins high!"
        : cw > 0
          ? "clockwise"
          : ccw > 0
            ? "counter-clockwise"
            : "stopped";
  }
  return {
    vibration: percent(board.duty(pins.vib)),
    rotation,
    direction,
    standby: pins.stby === 0 ? undefined : board.level(pins.stby) === 1,
  };
}

/** One line, e.g. `vibration  60 %   rotation  30 % counter-clockwise   STBY on`. */
export function describeMotors(view: MotorView): string {
  const rotation =
    view.direction === "stopped" ? "stopped" : `${String(view.rotation).padStart(3)} % ${view.direction}`;
  const standby = view.standby === undefined ? "" : `   STBY ${view.standby ? "on" : "off"}`;
  return `vibration ${String(view.vibration).padStart(3)} %   rotation ${rotation}${standby}`;
}
