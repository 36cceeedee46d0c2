/**
 * Issue 14 item 5: a pin map that cannot work is refused at build time, with the rule it breaks,
 * and a failed build leaves no firmware behind (the next flash cannot quietly write the old map).
 */
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFirmware, checkPinMap } from "../../device/firmware/tools/avr-build.ts";
import { BUILD_DIR } from "../../device/firmware/tools/paths.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { gate } from "../support/tools.ts";

const toolchain = await gate("the AVR toolchain", () => checkPinMap());

const REFUSED: Array<[string, string[], RegExp]> = [
  [
    "IN1 on D1, the USB serial TX pin",
    ["PIN_ROTATION_IN1=1"],
    /PIN_ROTATION_IN1 is on D0 or D1: they carry the USB serial link/,
  ],
  ["IN2 on D0, the USB serial RX pin", ["PIN_ROTATION_IN2=0"], /PIN_ROTATION_IN2 is on D0 or D1/],
  ["IN1 on the rotation PWM pin", ["PIN_ROTATION_IN1=9"], /PIN_ROTATION_IN1 and PIN_ROTATION_PWM are the same pin/],
  ["IN1 on the vibration PWM pin", ["PIN_ROTATION_IN1=10"], /PIN_ROTATION_IN1 and PIN_VIBRATION_PWM are the same pin/],
  ["IN1 = IN2", ["PIN_ROTATION_IN1=8"], /PIN_ROTATION_IN1 and PIN_ROTATION_IN2 are the same pin/],
  ["both PWMs on one pin", ["PIN_VIBRATION_PWM=9"], /PIN_ROTATION_PWM and PIN_VIBRATION_PWM are the same pin/],
  [
    "two-PWM mode on the vibration pin",
    ["ROTATION_DRIVER_TWO_PWM", "PIN_ROTATION_PWM_CCW=3"],
    /PIN_ROTATION_PWM_CCW and PIN_VIBRATION_PWM are the same pin: two-PWM mode cannot use the vibration pin/,
  ],
  [
    "a PWM on Timer0 (millis)",
    ["PIN_VIBRATION_PWM=5"],
    /PIN_VIBRATION_PWM must be a PWM pin the firmware runs at 20 kHz.*Timer0/,
  ],
  ["a PWM on a pin without PWM", ["PIN_ROTATION_PWM=4", "PIN_STBY=2"], /PIN_ROTATION_PWM must be a PWM pin/],
  ["STBY on a direction pin", ["PIN_STBY=7"], /PIN_STBY and PIN_ROTATION_IN1 are the same pin/],
  ["a motor on D13, the LED the bootloader blinks", ["PIN_ROTATION_IN2=13"], /PIN_ROTATION_IN2 is on D13/],
  ["both drivers at once", ["ROTATION_DRIVER_PWM_DIR", "ROTATION_DRIVER_TWO_PWM"], /define only one of/],
];

describe.skipIf(!toolchain.ok)("the pin map's build-time rules", () => {
  it.each(REFUSED)("refuses %s, naming the rule", async (_what, defines, rule) => {
    const attempt = checkPinMap(defines);
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) =>
        isMassagerError(error) &&
        error.code === ErrorCode.FirmwareBuildFailed &&
        rule.test(error.message) &&
        error.message.startsWith("the pin map is refused") &&
        /pins\.h/.test(error.hint ?? ""),
    );
  });

  it("accepts the default map and the two-PWM map", async () => {
    await checkPinMap();
    await checkPinMap(["ROTATION_DRIVER_TWO_PWM"]);
    await checkPinMap(["PIN_VIBRATION_PWM=3", "PIN_STBY=2", "PIN_ROTATION_IN1=A0"]);
  });

  it("removes the stale firmware when a build fails", { timeout: 60_000 }, async () => {
    const outDir = join(BUILD_DIR, "stale-pin-map");
    await mkdir(outDir, { recursive: true });
    const hex = join(outDir, "massager.hex");
    const elf = join(outDir, "massager.elf");
    await writeFile(hex, ":00000001FF\n");
    await writeFile(elf, "old");
    await writeFile(join(outDir, "massager.stamp.json"), "{}");
    const attempt = buildFirmware({ defines: ["PIN_ROTATION_IN1=1"], outDir });
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) => isMassagerError(error) && /D0 or D1/.test(error.message),
    );
    await expect(access(hex)).rejects.toThrow();
    await expect(access(elf)).rejects.toThrow();
  });
});
