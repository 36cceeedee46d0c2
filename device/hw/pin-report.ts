/**
 * The device's pin report (PINS → PN, protocol 1.1) in words a person can check against the
 * wiring: `massager flash`, `doctor` and `play --verbose` print it.
 */
import type { PinReport } from "../../protocol/device-info.ts";

/** Below this a motor's PWM whines (analogWrite's 490 and 980 Hz are well inside hearing). */
const AUDIBLE_BELOW_HZ = 16_000;

/** An Arduino pin as printed on the board: D2..D13, A0..A5. */
export function pinName(pin: number): string {
  return pin >= 14 ? `A${pin - 14}` : `D${pin}`;
}

function frequency(hz: number): string {
  const text = hz >= 1000 ? `${Number((hz / 1000).toFixed(1))} kHz` : `${hz} Hz`;
  return hz < AUDIBLE_BELOW_HZ ? `${text} (audible)` : text;
}

/** One line: which pin does what, and the PWM frequency. */
export function describePins(pins: PinReport): string {
  const rotation =
    pins.drv === "PD"
      ? `rotation PWM ${pinName(pins.rot)}, direction ${pinName(pins.cw)} (HIGH: clockwise)` +
        (pins.ccw === 0 ? "" : ` / ${pinName(pins.ccw)} (HIGH: counter-clockwise)`)
      : `rotation PWM ${pinName(pins.cw)} (clockwise) / ${pinName(pins.ccw)} (counter-clockwise)`;
  const standby = pins.stby === 0 ? "no STBY pin" : `STBY ${pinName(pins.stby)}`;
  return `vibration PWM ${pinName(pins.vib)}, ${rotation}, ${standby}; PWM ${frequency(pins.pwmHz)}`;
}
