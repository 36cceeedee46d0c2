/**
 * The firmware builds for the ATmega328P with Debian's toolchain, fits comfortably on the chip,
 * and its pin map refuses a pin that cannot do PWM.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFirmware, CHIP_FLASH_BYTES, CHIP_RAM_BYTES } from "../../device/firmware/tools/avr-build.ts";
import { BUILD_DIR } from "../../device/firmware/tools/paths.ts";
import { isMassagerError } from "../../protocol/errors.ts";
import { gate } from "../support/tools.ts";

const firmware = await gate("the AVR toolchain", () => buildFirmware());

/** Checks every Intel HEX record's checksum and returns the number of data bytes. */
function intelHexDataBytes(text: string): number {
  let bytes = 0;
  for (const line of text.trim().split(/\r?\n/)) {
    expect(line).toMatch(/^:[0-9A-F]+$/);
    const record = Buffer.from(line.slice(1), "hex");
    const sum = record.reduce((total, byte) => (total + byte) & 0xff, 0);
    expect(sum).toBe(0);
    if (record[3] === 0) bytes += record[0] ?? 0;
  }
  return bytes;
}

describe.skipIf(!firmware.ok)("the firmware build", () => {
  it("writes massager.elf and massager.hex and uses under half the chip's flash and RAM", async () => {
    if (!firmware.ok) return;
    const build = firmware.value;
    expect(build.flashBytes).toBeGreaterThan(4000);
    expect(build.flashBytes).toBeLessThan(CHIP_FLASH_BYTES / 2);
    expect(build.ramBytes).toBeLessThan(CHIP_RAM_BYTES / 2);
    expect(build.warnings).toBe("");
    const hex = await readFile(build.hex, "utf8");
    expect(intelHexDataBytes(hex)).toBe(build.flashBytes);
    const elf = await readFile(build.elf);
    expect(elf.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  });

  it("builds the two-PWM rotation driver variant too", { timeout: 120_000 }, async () => {
    const build = await buildFirmware({ defines: ["ROTATION_DRIVER_TWO_PWM"], outDir: join(BUILD_DIR, "two-pwm") });
    expect(build.flashBytes).toBeLessThan(CHIP_FLASH_BYTES / 2);
    expect(build.warnings).toBe("");
  });

  it("refuses a pin map with a motor on a pin that cannot do PWM, naming the pin", { timeout: 120_000 }, async () => {
    const attempt = buildFirmware({ defines: ["PIN_VIBRATION_PWM=4"], outDir: join(BUILD_DIR, "bad-pin-map") });
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) => isMassagerError(error) && /PIN_VIBRATION_PWM must be a PWM pin/.test(error.message),
    );
  });
});
