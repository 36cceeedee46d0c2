/**
 * The bootloaders the emulated board runs for flashing tests, from Debian's arduino-core-avr.
 *
 * Debian's prebuilt `optiboot_atmega328.hex` (1.8.7+dfsg) is 532 bytes: it overflows the Uno's
 * 512-byte boot section (code at 0x8000, past the flash, and the version word at 0x7FFE lands on
 * an instruction), so it cannot run on a chip or in the emulator. We rebuild the same Debian source
 * with size flags that make it fit (504 bytes), for the same options as Debian's target: 16 MHz,
 * 115200 baud, three LED flashes. The old Nano bootloader (ATmegaBOOT, 57600 baud, 2 KB) is used as shipped.
 */
import { execFile } from "node:child_process";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { AVR_SIM_BUILD_DIR } from "./build-harness.ts";

const run = promisify(execFile);

/** Debian's arduino-core-avr bootloaders folder. */
const ARDUINO_BOOTLOADERS = "/usr/share/arduino/hardware/arduino/avr/bootloaders";
/** The Optiboot source Debian ships. */
const OPTIBOOT_SOURCE = join(ARDUINO_BOOTLOADERS, "optiboot", "optiboot.c");
/** The old Nano / Duemilanove bootloader (STK500v1 at 57600 baud, boot section at 0x7800), as Debian ships it. */
export const NANO_OLD_BOOTLOADER_HEX = join(ARDUINO_BOOTLOADERS, "atmega", "ATmegaBOOT_168_atmega328.hex");

const OPTIBOOT_BOOT_SECTION_BYTES = 512;

/** Builds Optiboot for the Uno (ATmega328P, 16 MHz, 115200 baud) from Debian's source; returns the HEX path. */
export async function buildOptiboot(): Promise<string> {
  const hex = join(AVR_SIM_BUILD_DIR, "optiboot_atmega328.hex");
  if (
    await stat(hex).then(
      () => true,
      () => false,
    )
  )
    return hex;
  await mkdir(AVR_SIM_BUILD_DIR, { recursive: true });
  const elf = join(AVR_SIM_BUILD_DIR, `optiboot.${process.pid}.elf`);
  try {
    await run(
      "avr-gcc",
      [
        "-Os",
        "-fno-inline-small-functions",
        "-fno-split-wide-types",
        "-mshort-calls",
        // Not in Debian's Makefile: these bring gcc 5's code back under the 512-byte boot section.
        "-fno-tree-scev-cprop",
        "-fno-tree-switch-conversion",
        "-ffunction-sections",
        "-mmcu=atmega328p",
        "-DF_CPU=16000000L",
        "-DLED_START_FLASHES=3",
        "-DBAUD_RATE=115200",
        "-Wl,--section-start=.text=0x7e00",
        "-Wl,--section-start=.version=0x7ffe",
        "-Wl,--relax",
        "-Wl,--gc-sections",
        "-nostartfiles",
        "-nostdlib",
        "-o",
        elf,
        OPTIBOOT_SOURCE,
      ],
      { timeout: 60_000 },
    );
    const { stdout } = await run("avr-size", ["-A", elf], { timeout: 10_000 });
    const text = Number(/^\.text\s+(\d+)/m.exec(stdout)?.[1] ?? Number.NaN);
    if (!(text <= OPTIBOOT_BOOT_SECTION_BYTES - 2)) {
      throw new Error(`Optiboot is ${text} bytes, more than its ${OPTIBOOT_BOOT_SECTION_BYTES}-byte boot section`);
    }
    const temporary = `${hex}.${process.pid}.tmp`;
    await run("avr-objcopy", ["-j", ".text", "-j", ".data", "-j", ".version", "-O", "ihex", elf, temporary], {
      timeout: 10_000,
    });
    await rename(temporary, hex);
    return hex;
  } catch (error) {
    throw new MassagerError(
      ErrorCode.EmulatorFailed,
      `could not build Optiboot from ${OPTIBOOT_SOURCE}: ${String(error)}`,
      {
        hint: "apt-get install -y gcc-avr avr-libc arduino-core-avr",
        cause: error,
      },
    );
  } finally {
    await rm(elf, { force: true });
  }
}
