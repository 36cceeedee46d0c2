/**
 * An OutputSink that drives the two motors through johnny-five Motors: the device core's
 * applied levels (vibration 0..1000, rotation -1000..1000) become 8-bit PWM speeds and a
 * direction. The direction pins are written only together with a non-zero speed, and the sink
 * remembers the direction the pins actually hold: a level that rounds to PWM 0 stops the motor
 * but leaves the pins alone, so the next non-zero level of the other sign still reverses them.
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

export class MotorSink implements OutputSink {
  private readonly vibration: FiveMotor;
  private readonly rotation: FiveMotor;
  /** Drives the driver's STBY pin, when the pin map has one. */
  private readonly standby: ((on: boolean) => void) | undefined;
  private standbyOn = false;
  /** The direction the board's pins hold; undefined until the first non-zero rotation. */
  private pinsForward: boolean | undefined;
  private last: Levels = { vib: 0, rot: 0 };

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
      if (speed === 0) this.vibration.stop();
      else this.vibration.speed({ speed });
    }
    if (levels.rot !== this.last.rot) {
      const speed = pwmSpeed(levels.rot);
      const forward = levels.rot > 0;
      if (speed === 0) this.rotation.stop();
      else if (forward !== this.pinsForward) {
        // johnny-five writes the direction pins before the speed.
        if (forward) this.rotation.forward(speed);
        else this.rotation.reverse(speed);
        this.pinsForward = forward;
      } else this.rotation.speed({ speed });
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
  }

  private setStandby(on: boolean): void {
    if (on === this.standbyOn) return;
    this.standby?.(on);
    this.standbyOn = on;
  }
}
