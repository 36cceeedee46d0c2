/**
 * The real massager.elf on the emulated Uno (device/avr-sim), and what its motor pins did:
 * vibration PWM on D10, rotation PWM on D9 with direction on D7 (clockwise) / D8 (counter-clockwise),
 * and the driver's STBY on D4, as in device/firmware/massager/pins.h.
 */
import { type BoardEvent, type EmulatedBoard, startEmulatedBoard } from "../../../device/avr-sim/emulated-board.ts";
import { buildFirmware } from "../../../device/firmware/tools/avr-build.ts";
import { gate } from "../../support/tools.ts";

export const PIN = { vibration: 10, rotation: 9, clockwise: 7, counterClockwise: 8, standby: 4 } as const;

/** Builds the firmware (cached) and the harness; under CI a missing toolchain fails, elsewhere the suite skips. */
export const firmware = await gate("the AVR toolchain and simavr", async () => (await buildFirmware()).elf);

/** Starts the firmware in simavr, paced to real time (the host's timers and the board's clock then agree). */
export function startMassagerBoard(elf: string, options: { fast?: boolean } = {}): Promise<EmulatedBoard> {
  return startEmulatedBoard({
    firmware: elf,
    pins: [PIN.vibration, PIN.clockwise, PIN.counterClockwise, PIN.rotation, PIN.standby],
    fast: options.fast ?? false,
    startTimeoutMs: 20_000,
  });
}

/** Timer1's TOP in the firmware's 20 kHz fast PWM (motor_outputs.h). */
const TIMER1_TOP = 799;

/**
 * The duty (0..255) the harness reports for a level (permille) on a Timer1 pin: the firmware keeps
 * the pin high for round(level * 800 / 1000) of every 800 steps (OCR = that - 1; 0 cuts the
 * output off), and the harness scales OCR to 0..255 against TOP.
 */
export function dutyOf(level: number): number {
  const steps = Math.floor((Math.abs(level) * (TIMER1_TOP + 1) + 500) / 1000);
  if (steps === 0) return 0;
  return Math.floor(((steps - 1) * 255 + Math.floor(TIMER1_TOP / 2)) / TIMER1_TOP);
}

/** The motors as the pins drive them: vibration duty, and rotation duty signed by the direction pins. */
export interface PinSample {
  timeUs: number;
  vib: number;
  rot: number;
}

/** Replays the pin events from index `since` into a timeline of what the motors received. */
export function motorTimeline(events: readonly BoardEvent[], since = 0): PinSample[] {
  let vib = 0;
  let rotDuty = 0;
  let clockwise = 0;
  let counterClockwise = 0;
  const timeline: PinSample[] = [];
  for (const event of events.slice(since)) {
    if (event.kind === "pwm" && event.pin === PIN.vibration) vib = event.value;
    else if (event.kind === "pwm" && event.pin === PIN.rotation) rotDuty = event.value;
    else if (event.kind === "pin" && event.pin === PIN.clockwise) clockwise = event.value;
    else if (event.kind === "pin" && event.pin === PIN.counterClockwise) counterClockwise = event.value;
    else continue;
    const sign = clockwise && !counterClockwise ? 1 : counterClockwise && !clockwise ? -1 : 0;
    const sample = { timeUs: event.timeUs, vib, rot: sign * rotDuty || 0 }; // never -0
    const last = timeline.at(-1);
    if (last && last.timeUs === sample.timeUs) timeline[timeline.length - 1] = sample;
    else if (!last || last.vib !== sample.vib || last.rot !== sample.rot) timeline.push(sample);
  }
  return timeline;
}

/** The sample in force at `timeUs` (zero before the first). */
export function sampleAt(timeline: readonly PinSample[], timeUs: number): PinSample {
  let found: PinSample = { timeUs: 0, vib: 0, rot: 0 };
  for (const sample of timeline) {
    if (sample.timeUs > timeUs) break;
    found = sample;
  }
  return found;
}

/** True when the direction pins ever both drive high (a short through the H-bridge's inputs). */
export function directionConflict(events: readonly BoardEvent[]): boolean {
  let clockwise = 0;
  let counterClockwise = 0;
  for (const event of events) {
    if (event.kind !== "pin") continue;
    if (event.pin === PIN.clockwise) clockwise = event.value;
    if (event.pin === PIN.counterClockwise) counterClockwise = event.value;
    if (clockwise && counterClockwise) return true;
  }
  return false;
}

/** The largest rise of a PWM pin's duty between two reports (a cut to zero is not a rise). */
export function largestRise(events: readonly BoardEvent[], pin: number): number {
  let last = 0;
  let largest = 0;
  for (const event of events) {
    if (event.kind !== "pwm" || event.pin !== pin) continue;
    largest = Math.max(largest, event.value - last);
    last = event.value;
  }
  return largest;
}

/** The rotation PWM duty in force at each change of a direction pin: all zero when every reversal stops first. */
export function rotationDutyAtDirectionChanges(events: readonly BoardEvent[]): number[] {
  let duty = 0;
  const duties: number[] = [];
  for (const event of events) {
    if (event.kind === "pwm" && event.pin === PIN.rotation) duty = event.value;
    if (event.kind === "pin" && (event.pin === PIN.clockwise || event.pin === PIN.counterClockwise)) duties.push(duty);
  }
  return duties;
}

/**
 * How far a motor ever outran a slew limit of `dutyPerMs` between any two samples of the timeline,
 * in duty steps (0 or less: never faster than the limit). Cuts to zero count too: use it on spans
 * where the firmware must ramp.
 */
export function slewExcess(timeline: readonly PinSample[], channel: "vib" | "rot", dutyPerMs: number): number {
  let excess = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < timeline.length; i++) {
    const a = timeline[i] as PinSample;
    for (let j = i + 1; j < timeline.length; j++) {
      const b = timeline[j] as PinSample;
      excess = Math.max(excess, Math.abs(b[channel] - a[channel]) - (dutyPerMs * (b.timeUs - a.timeUs)) / 1000);
    }
  }
  return excess;
}

/** The simulation time the firmware's clock counts from: its last reset before event `before` (or power-on, 0). */
export function bootTimeUs(events: readonly BoardEvent[], before = events.length): number {
  for (let i = Math.min(before, events.length) - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.kind === "reset") return event.timeUs;
  }
  return 0;
}
