/**
 * Which Arduino pins drive the motors on the Firmata path. There is no default: a wrong guess
 * would drive whatever is wired to that pin, so the bridge refuses to start without one.
 *
 * Inline: `vib=10,rot=9,dir=7,cdir=8,stby=4` (vibration PWM on D10; rotation PWM on D9 to the
 * H-bridge's enable, IN1 on D7 and IN2 on D8, driven opposite; the driver's STBY on D4: the project
 * firmware's default wiring). Leave out `cdir` for a driver with one direction input (PWM + DIR),
 * and `stby` for a driver without a standby input.
 * File: JSON `{ "vibration": { "pwm": 10 }, "rotation": { "pwm": 9, "dir": 7, "cdir": 8 }, "stby": 4 }`.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { PinReport } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

/** Pins that have a hardware PWM channel on an Uno or Nano (ATmega328P). */
const UNO_PWM_PINS: readonly number[] = [3, 5, 6, 9, 10, 11];

export interface FirmataPinMap {
  vibration: { pwm: number };
  rotation: { pwm: number; dir: number; cdir?: number };
  /** The driver's standby input (TB6612FNG STBY): HIGH only while a motor runs. */
  stby?: number;
}

/** The project firmware's default wiring (device/firmware/massager/pins.h), as a --pins value. */
export const PIN_MAP_EXAMPLE = "--pins vib=10,rot=9,dir=7,cdir=8,stby=4";

const NO_PIN_MAP_HINT =
  `say which pins drive the motors, e.g. ${PIN_MAP_EXAMPLE} (the firmware's wiring: vibration PWM on D10, ` +
  "rotation PWM on D9, H-bridge IN1/IN2 on D7/D8, STBY on D4; use dir=N alone for a PWM+DIR driver, leave out " +
  "stby without a standby pin), or --pins pins.json";

const pwmPin = z
  .number()
  .int()
  .refine((pin) => UNO_PWM_PINS.includes(pin), { message: `must be a PWM pin (${UNO_PWM_PINS.join(", ")})` });
// D0 and D1 carry the serial link itself.
const digitalPin = z.number().int().min(2).max(19);

const pinMapSchema = z
  .object({
    vibration: z.object({ pwm: pwmPin }).strict(),
    rotation: z.object({ pwm: pwmPin, dir: digitalPin, cdir: digitalPin.optional() }).strict(),
    stby: digitalPin.optional(),
  })
  .strict()
  .refine(
    (map) => {
      const used = [map.vibration.pwm, map.rotation.pwm, map.rotation.dir, map.rotation.cdir, map.stby].filter(
        (pin) => pin !== undefined,
      );
      return new Set(used).size === used.length;
    },
    { message: "every pin may be used once only" },
  );

function invalid(where: string, detail: string): MassagerError {
  return new MassagerError(ErrorCode.InvalidOption, `invalid pin map (${where}): ${detail}`, {
    hint: `write it as ${PIN_MAP_EXAMPLE} (cdir and stby are optional), or a JSON file`,
  });
}

function validate(candidate: unknown, where: string): FirmataPinMap {
  const result = pinMapSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(where, `${issue?.path.join(".") || "map"} ${issue?.message ?? "is not valid"}`);
  }
  const { vibration, rotation, stby } = result.data;
  const map: FirmataPinMap = {
    vibration: { pwm: vibration.pwm },
    rotation:
      rotation.cdir === undefined
        ? { pwm: rotation.pwm, dir: rotation.dir }
        : { pwm: rotation.pwm, dir: rotation.dir, cdir: rotation.cdir },
  };
  if (stby !== undefined) map.stby = stby;
  return map;
}

const INLINE_KEYS = {
  vib: "vibration.pwm",
  rot: "rotation.pwm",
  dir: "rotation.dir",
  cdir: "rotation.cdir",
  stby: "stby",
} as const;

/** Parses the inline form `vib=10,rot=9,dir=7[,cdir=8][,stby=4]`. */
export function parseInlinePinMap(text: string): FirmataPinMap {
  const values = new Map<string, number>();
  for (const part of text.split(",")) {
    const [key, value, extra] = part.split("=").map((s) => s.trim());
    if (key === undefined || value === undefined || extra !== undefined || !(key in INLINE_KEYS)) {
      throw invalid(text, `"${part}" is not one of vib=N, rot=N, dir=N, cdir=N, stby=N`);
    }
    if (!/^\d+$/.test(value)) throw invalid(text, `"${part}": the pin must be a number`);
    if (values.has(key)) throw invalid(text, `${key} is given twice`);
    values.set(key, Number(value));
  }
  for (const required of ["vib", "rot", "dir"]) {
    if (!values.has(required)) throw invalid(text, `${required}=N is missing`);
  }
  const cdir = values.get("cdir");
  const stby = values.get("stby");
  return validate(
    {
      vibration: { pwm: values.get("vib") },
      rotation:
        cdir === undefined
          ? { pwm: values.get("rot"), dir: values.get("dir") }
          : { pwm: values.get("rot"), dir: values.get("dir"), cdir },
      ...(stby === undefined ? {} : { stby }),
    },
    text,
  );
}

/** Reads a JSON pin map file. */
async function readPinMapFile(path: string): Promise<FirmataPinMap> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MassagerError(ErrorCode.FileUnreadable, `cannot read the pin map file ${path}`, {
      hint: `check the path, or give the pins inline: ${PIN_MAP_EXAMPLE}`,
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return validate(json, path);
}

/**
 * Resolves the `--pins` option: inline when it contains `=`, otherwise a JSON file path.
 * Missing: the NoPinMap error, with an example.
 */
export async function resolvePinMap(option: string | undefined): Promise<FirmataPinMap> {
  if (option === undefined || option.trim() === "") throw noPinMapError();
  return option.includes("=") ? parseInlinePinMap(option) : readPinMapFile(option);
}

/** The error for a Firmata device given without a pin map. */
export function noPinMapError(): MassagerError {
  return new MassagerError(ErrorCode.NoPinMap, "the Firmata path needs a pin map: which pins drive the motors", {
    hint: NO_PIN_MAP_HINT,
  });
}

/** StandardFirmata's analogWrite frequency on an Uno's pin: Timer0's D5/D6 about 980 Hz, the others 490 Hz. */
function firmataPwmHz(pin: number): number {
  return pin === 5 || pin === 6 ? 977 : 490;
}

/** The bridge's answer to PINS: the map it drives, and the lower of its PWM frequencies (both audible). */
export function pinReportOf(map: FirmataPinMap): PinReport {
  const cdir = map.rotation.cdir ?? 0;
  return {
    drv: "PD",
    vib: map.vibration.pwm,
    rot: map.rotation.pwm,
    cw: map.rotation.dir,
    ccw: cdir,
    stby: map.stby ?? 0,
    pwmHz: Math.min(firmataPwmHz(map.vibration.pwm), firmataPwmHz(map.rotation.pwm)),
  };
}
