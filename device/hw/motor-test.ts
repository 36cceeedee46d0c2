/**
 * The motor test (`massager test-motors`, and the app's Device screen): each motor alone at a low
 * level, each direction for a second, with what should be moving, so a person can check the
 * wiring before a routine. It streams (STREAM, SET) with the device's own caps, slew limit and
 * watchdog still in force, feeds the watchdog while a step runs, ramps to rest between steps, and
 * stops (ESTOP) on any failure or when cancelled.
 *
 *   HELLO ─► [PINS] ─► STREAM ─► for each step: SET level, PING…, SET 0 0, PING… ─► STOP
 */
import { Capability, type MessageOf } from "../../protocol/commands.ts";
import type { PinReport } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { FULL_SCALE, PROTOCOL_VERSION } from "../../protocol/limits.ts";
import type { Clock } from "../clock.ts";
import { FrameLink } from "../controller/link.ts";
import type { Transport } from "../transport/transport.ts";
import { describePins, pinName } from "./pin-report.ts";

export interface MotorTestStep {
  /** Short name, e.g. `rotation clockwise`. */
  name: string;
  vib: number;
  rot: number;
  ms: number;
  /** What a person should see, and what to do when they do not. */
  expect: string;
}

export interface MotorTestEvents {
  /** The device answered: its firmware, and its pins when it reports them. */
  device?(info: { firmware: string; pins: PinReport | undefined }): void;
  /** A step starts. */
  step?(step: MotorTestStep, index: number, count: number): void;
}

export interface MotorTestOptions {
  clock: Clock;
  /** The test level, percent (default 30: low enough to be gentle, enough to overcome friction). */
  percent?: number;
  /** Aborts the test: the motors stop at once (ESTOP). */
  signal?: AbortSignal;
  events?: MotorTestEvents;
  /** How long each rotation direction runs, ms (default 1000). */
  stepMs?: number;
}

/** Between steps the outputs ramp to rest (the slew limit: 30 % takes 120 ms at 400 ms full scale). */
const REST_MS = 700;
/** A PING this often keeps the device's watchdog (1000 ms by default) fed while a step runs. */
const FEED_MS = 250;

/** The steps of the test at `percent`, in order. */
function motorTestSteps(percent: number, pins?: PinReport, stepMs = 1000): MotorTestStep[] {
  const level = Math.round(percent * 10);
  const at = (pin: number | undefined): string => (pin ? ` (${pinName(pin)})` : "");
  const rotationPin = pins ? (pins.drv === "PD" ? pins.rot : undefined) : undefined;
  return [
    {
      name: "vibration",
      vib: level,
      rot: 0,
      ms: stepMs * 2,
      expect:
        `the vibration motor${at(pins?.vib)} should buzz at ${percent} % and the head should not turn; ` +
        "if the head turns instead, the two motors' wires are swapped",
    },
    {
      name: "rotation clockwise",
      vib: 0,
      rot: level,
      ms: stepMs,
      expect:
        `the head${at(rotationPin ?? pins?.cw)} should turn clockwise seen from above; ` +
        "if it turns counter-clockwise, swap its two motor wires (or IN1 and IN2)",
    },
    {
      name: "rotation counter-clockwise",
      vib: 0,
      rot: -level,
      ms: stepMs,
      expect: `the head should turn counter-clockwise seen from above${pins?.ccw ? ` (${pinName(pins.ccw)})` : ""}`,
    },
  ];
}

function aborted(): MassagerError {
  return new MassagerError(ErrorCode.SessionAborted, "the motor test was stopped; the motors are off");
}

/** Runs the motor test on an open transport; the transport stays open (the caller closes it). */
export async function runMotorTest(transport: Transport, options: MotorTestOptions): Promise<void> {
  const { clock, signal } = options;
  const percent = options.percent ?? 30;
  if (!(percent >= 5 && percent <= 60)) {
    throw new MassagerError(ErrorCode.InvalidOption, `a motor test level of ${percent} % is outside 5..60 %`, {
      hint: "give --level between 5 and 60 (30 is the default)",
    });
  }
  const link = new FrameLink(transport, clock, 2_000);
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const onAbort = (): void => {
        clock.clearTimer(timer);
        resolve();
      };
      const timer = clock.setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  let streaming = false;
  try {
    const id = (await link.request({ type: "HELLO", proto: PROTOCOL_VERSION })) as MessageOf<"ID">;
    if ((id.caps & Capability.Stream) === 0) {
      throw new MassagerError(ErrorCode.NotSupported, `${transport.description} cannot stream setpoints`, {
        hint: "flash the massager firmware: massager flash",
      });
    }
    let pins: PinReport | undefined;
    if (id.caps & Capability.Pins) {
      const reply = await link.request({ type: "PINS" });
      if (reply.type === "PN") {
        const { type: _, seq: __, ...fields } = reply;
        pins = fields;
      }
    }
    options.events?.device?.({ firmware: id.firmware, pins });
    const steps = motorTestSteps(percent, pins, options.stepMs);
    await link.request({ type: "STREAM", vibCap: FULL_SCALE, rotCap: FULL_SCALE, limitS: 60 });
    streaming = true;
    for (const [index, step] of steps.entries()) {
      if (signal?.aborted) throw aborted();
      options.events?.step?.(step, index, steps.length);
      await link.request({ type: "SET", vib: step.vib, rot: step.rot });
      await hold(link, step.ms, sleep, signal);
      await link.request({ type: "SET", vib: 0, rot: 0 });
      await hold(link, REST_MS, sleep, signal);
    }
    if (signal?.aborted) throw aborted();
    await link.request({ type: "STOP" });
    streaming = false;
  } catch (error) {
    if (streaming) await link.request({ type: "ESTOP" }, { urgent: true, timeoutMs: 1_000 }).catch(() => undefined);
    throw error;
  } finally {
    link.detach(new MassagerError(ErrorCode.Disconnected, "the motor test ended"));
  }
}

/** Waits `ms`, feeding the watchdog; returns early when aborted. */
async function hold(
  link: FrameLink,
  ms: number,
  sleep: (ms: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  for (let left = ms; left > 0 && !signal?.aborted; left -= FEED_MS) {
    await sleep(Math.min(FEED_MS, left));
    if (!signal?.aborted) await link.request({ type: "PING" });
  }
}

/** A summary line of a device's pins for the test's header. */
export function pinsLine(pins: PinReport | undefined): string {
  return pins ? `pins: ${describePins(pins)}` : "pins: not reported (a protocol 1.0 device): check them against pins.h";
}
