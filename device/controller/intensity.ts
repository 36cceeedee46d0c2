/**
 * Live intensity (protocol 1.1 `GAIN`): the person's percent as the device's per-output gain,
 * and, for a device without it, the same scaling done on the host before upload, so that a
 * session plays the same levels on either.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { FULL_SCALE, gainFromPercent } from "../../protocol/limits.ts";
import type { ProgramBlock, WireProgram } from "../../protocol/program.ts";

/** How a session's intensity is applied while it plays. */
export type IntensityControl =
  /** By the device's GAIN: setIntensity() changes it live. */
  | { kind: "gain"; percent: number }
  /** In the program's levels (a 1.0 device, or a session compiled that way): fixed until the next play(). */
  | { kind: "levels"; reason: "firmware" | "session" };

/** Checks a percent from a caller; throws InvalidOption naming the bad value. */
export function checkPercent(percent: unknown): number {
  if (typeof percent !== "number" || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new MassagerError(
      ErrorCode.InvalidOption,
      `intensity must be a number from 0 to 100, got ${String(percent)}`,
      {
        hint: "pass the percent, e.g. setIntensity(60)",
      },
    );
  }
  return percent;
}

/**
 * The program with every level scaled by `percent` exactly as a 1.1 device applies GAIN
 * (trunc(level · gain / FULL_SCALE), the sign kept): what a device without GAIN is sent.
 */
export function scaleProgram(program: WireProgram, percent: number): WireProgram {
  const gain = gainFromPercent(percent);
  if (gain === FULL_SCALE) return program;
  const scale = (value: number) => Math.trunc((value * gain) / FULL_SCALE) + 0;
  return {
    blocks: program.blocks.map(
      (block): ProgramBlock => ({
        ...block,
        vib: block.vib.map((key) => ({ ...key, value: scale(key.value) })),
        rot: block.rot.map((key) => ({ ...key, value: scale(key.value) })),
      }),
    ),
  };
}

/** The one-line refusal of setIntensity() when the intensity is in the levels. */
export function noLiveIntensity(
  control: Extract<IntensityControl, { kind: "levels" }>,
  firmware: string,
): MassagerError {
  if (control.reason === "firmware") {
    return new MassagerError(
      ErrorCode.NoLiveIntensity,
      `cannot change the intensity while the session plays: the device's firmware ${firmware} has no live intensity (GAIN)`,
      { hint: "update the firmware (massager flash), or stop and start again at the new intensity" },
    );
  }
  return new MassagerError(
    ErrorCode.NoLiveIntensity,
    "cannot change the intensity while the session plays: it was compiled with its intensity in the levels",
    { hint: "compile it for this device with device.gain set (the device has live intensity)" },
  );
}
