/**
 * An OutputSink that drives the two motors through johnny-five Motors: the device core's
 * applied levels (vibration 0..1000, rotation -1000..1000) become 8-bit PWM speeds and a
 * direction. The direction pins are written only together with a non-zero speed, and the sink
 * remembers the direction the pins actually hold: a level that rounds to PWM 0 stops the motor
 * but leaves the pins alone, so the next non-zero level of the other sign still reverses them.
 *
 * The ends of the PWM range are parked (see parkingDuty): StandardFirmata's analogWrite writes
 * 0 and 255 as digital levels and leaves the timer's compare register (OCR) as it was; the next
 * PWM write connects the compare output before it writes OCR, so the pin first runs at that
 * stale OCR. Unparked, a ramp up ending 252, 255 and a ramp down starting 253 gave the pin
 * 255, 252, 253: a rise during a ramp down (test/firmata/firmata-gain.test.ts).
 */
import type { Levels } from "../../protocol/program.ts";
import { pwmSteps } from "../../protocol/pwm.ts";
import type { OutputSink } from "../reference-device/output-sink.ts";
import type { FiveBoard, FiveMotor, JohnnyFive } from "./johnny-five.ts";
import type { FirmataPinMap } from "./pin-map.ts";

const PWM_MAX = 255;
/** Firmata's pin mode for a digital output. */
const OUTPUT_MODE = 1;

/** A level as an 8-bit PWM speed: protocol/pwm.ts's arithmetic, as the firmware's. */
const pwmSpeed = (level: number): number => pwmSteps(level, PWM_MAX);

/**
 * A drop to 0 from at most this duty is the last step of a ramp (an eighth of full scale: the
 * slew limit's step even on a tick 50 ms late) and is parked; from higher it is a stop (ESTOP,
 * the stop byte, a fault), which writes 0 at once rather than a parking write first.
 */
const PARK_FROM_AT_MOST = 32;

/**
 * The duty to write just before `next` (undefined: none) so that the OCR a pin keeps while it
 * holds 0 or 255 is the duty next to it (1 or 254): the stale OCR the next PWM write shows first
 * is then on the way from the held level to the new duty, and a ramp stays monotonic. `written`
 * is the duty last written. A stop from above PARK_FROM_AT_MOST is not parked: its OCR stays
 * stale, and the first write of the next ramp up shows it for a few cycles (on a chip: the rest
 * of one PWM period, at most 1 ms at Firmata's 976 Hz).
 */
function parkingDuty(written: number, next: number): number | undefined {
  if (next === PWM_MAX && written < PWM_MAX - 1) return PWM_MAX - 1;
  if (next === 0 && written > 1 && written <= PARK_FROM_AT_MOST) return 1;
  return undefined;
}

export class MotorSink implements OutputSink {
  private readonly vibration: FiveMotor;
  private readonly rotation: FiveMotor;
  /** Drives the driver's STBY pin, when the pin map has one. */
  private readonly standby: ((on: boolean) => void) | undefined;
  private standbyOn = false;
  /** The direction the board's pins hold; undefined until the first non-zero rotation. */
  private pinsForward: boolean | undefined;
  private last: Levels = { vib: 0, rot: 0 };
  /** The PWM duty last written to each motor's PWM pin. */
  private vibDuty = 0;
  private rotDuty = 0;

  constructor(five: JohnnyFive, board: FiveBoard, pins: FirmataPinMap) {
    this.vibration = new five.Motor({ board, pin: pins.vibration.pwm, threshold: 0 });
    this.rotation = new five.Motor({ board, pins: { ...pins.rotation }, threshold: 0 });
    const stby = pins.stby;
    if (stby !== undefined) {
      board.io.pinMode(stby, OUTPUT_MODE);
      this.standby = (on) => board.io.digitalWrite(stby, on ? 1 : 0);
    }
    // Everything off and STBY low before the first level.
    this.stopAll();
  }

  apply(levels: Levels): void {
    // STBY goes low before the outputs on the way down, high after them on the way up.
    const running = levels.vib !== 0 || levels.rot !== 0;
    if (!running) this.setStandby(false);
    if (levels.vib !== this.last.vib) {
      const speed = pwmSpeed(levels.vib);
      const park = parkingDuty(this.vibDuty, speed);
      if (park !== undefined) this.vibration.speed({ speed: park });
      if (speed === 0) this.vibration.stop();
      else this.vibration.speed({ speed });
      this.vibDuty = speed;
    }
    if (levels.rot !== this.last.rot) {
      const speed = pwmSpeed(levels.rot);
      const forward = levels.rot > 0;
      // A parking write before 0 keeps the direction the pins hold; one before 255 follows the new one.
      const park = parkingDuty(this.rotDuty, speed);
      if (speed === 0) {
        if (park !== undefined) this.rotation.speed({ speed: park });
        this.rotation.stop();
      } else if (forward !== this.pinsForward) {
        // johnny-five writes the direction pins before the speed.
        if (forward) this.rotation.forward(park ?? speed);
        else this.rotation.reverse(park ?? speed);
        if (park !== undefined) this.rotation.speed({ speed });
        this.pinsForward = forward;
      } else {
        if (park !== undefined) this.rotation.speed({ speed: park });
        this.rotation.speed({ speed });
      }
      this.rotDuty = speed;
    }
    this.last = { vib: levels.vib, rot: levels.rot };
    if (running) this.setStandby(true);
  }

  /** Both PWM outputs to zero at once, whatever the core thinks; STBY low first. */
  stopAll(): void {
    this.standby?.(false);
    this.standbyOn = false;
    this.vibration.stop();
    this.rotation.stop();
    this.last = { vib: 0, rot: 0 };
    this.vibDuty = 0;
    this.rotDuty = 0;
  }

  private setStandby(on: boolean): void {
    if (on === this.standbyOn) return;
    this.standby?.(on);
    this.standbyOn = on;
  }
}
