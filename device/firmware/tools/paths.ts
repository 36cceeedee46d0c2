/** Where the firmware's sources and build outputs live. Build outputs are gitignored. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export const FIRMWARE_DIR = join(here, "..");
/** The Arduino sketch folder: open it in the Arduino IDE, or build it with `npm run firmware:build`. */
export const SKETCH_DIR = join(FIRMWARE_DIR, "massager");
export const SKETCH_FILE = join(SKETCH_DIR, "massager.ino");
/** The pin map, with the rules a build checks. */
export const PINS_FILE = join(SKETCH_DIR, "pins.h");
/** The portable core: no Arduino dependency, also compiled natively for the tests. */
export const CORE_DIR = join(SKETCH_DIR, "src", "core");
/** Native test driver and fuzz target sources. */
export const NATIVE_DIR = join(FIRMWARE_DIR, "native");
export const BUILD_DIR = join(FIRMWARE_DIR, "build");
export const FIRMWARE_ELF = join(BUILD_DIR, "massager.elf");
export const FIRMWARE_HEX = join(BUILD_DIR, "massager.hex");
export const NATIVE_BUILD_DIR = join(BUILD_DIR, "native");
/**
 * The firmware shipped prebuilt (default pin map, Uno/Nano: ATmega328P at 16 MHz), committed and
 * packed, so `massager flash` needs no AVR toolchain: `npm run firmware:prebuilt` makes it.
 */
export const PREBUILT_DIR = join(FIRMWARE_DIR, "prebuilt");
export const PREBUILT_HEX = join(PREBUILT_DIR, "massager.hex");
export const PREBUILT_MANIFEST = join(PREBUILT_DIR, "massager.json");

/** Debian's arduino-core-avr. */
const ARDUINO_AVR_DIR = "/usr/share/arduino/hardware/arduino/avr";
export const ARDUINO_CORE_DIR = join(ARDUINO_AVR_DIR, "cores", "arduino");
export const ARDUINO_VARIANT_DIR = join(ARDUINO_AVR_DIR, "variants", "standard");
