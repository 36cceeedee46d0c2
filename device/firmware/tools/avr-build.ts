/**
 * Builds the firmware for the ATmega328P with Debian's toolchain (gcc-avr, avr-libc,
 * arduino-core-avr), without the Arduino IDE or arduino-mk:
 *
 *   Arduino core (.c .cpp .S) ──avr-gcc──► core.a ─┐
 *   src/core/*.cpp + massager.ino ──avr-g++──► .o ─┴─link (LTO, gc-sections)──► massager.elf ──► massager.hex
 *
 * Builds are cached by a hash of the sources and settings, and safe to run from parallel test
 * workers: each builds in its own work folder and renames the results into place.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ErrorCode, isMassagerError, MassagerError } from "../../../protocol/errors.ts";
import {
  ARDUINO_CORE_DIR,
  ARDUINO_VARIANT_DIR,
  BUILD_DIR,
  CORE_DIR,
  FIRMWARE_ELF,
  FIRMWARE_HEX,
  PINS_FILE,
  SKETCH_DIR,
  SKETCH_FILE,
} from "./paths.ts";
import { inParallel, runTool } from "./run-tool.ts";
import { compilableFiles, sourceHash } from "./source-hash.ts";

/** The ATmega328P's flash and RAM, bytes. An Uno's Optiboot takes 512 bytes of the flash. */
export const CHIP_FLASH_BYTES = 32_768;
export const CHIP_RAM_BYTES = 2_048;

export interface FirmwareBuildOptions {
  /** Extra preprocessor definitions, e.g. `["ROTATION_DRIVER_TWO_PWM"]` or `["PIN_VIBRATION_PWM=6"]`. */
  defines?: readonly string[];
  /** Output folder; default device/firmware/build. */
  outDir?: string;
  /** Rebuild even when the cached build matches the sources. */
  force?: boolean;
}

export interface FirmwareBuild {
  elf: string;
  hex: string;
  /** Program memory used: .text + .data (the initial values of .data are stored in flash). */
  flashBytes: number;
  /** Static RAM used: .data + .bss + .noinit (the stack takes what is left). */
  ramBytes: number;
  /** Compiler warnings from the project's own sources, if any. */
  warnings: string;
  /** True when the outputs were already up to date. */
  cached: boolean;
}

const MCU = "atmega328p";
const COMMON_FLAGS = [
  `-mmcu=${MCU}`,
  "-DF_CPU=16000000L",
  "-DARDUINO=10819",
  "-DARDUINO_AVR_UNO",
  "-DARDUINO_ARCH_AVR",
  // Debian's avr-gcc 5.4 does not define DECIMAL_DIG, which this Arduino core's headers use.
  "-DDECIMAL_DIG=__DECIMAL_DIG__",
  "-Os",
  "-flto",
  "-ffunction-sections",
  "-fdata-sections",
  `-I${ARDUINO_CORE_DIR}`,
  `-I${ARDUINO_VARIANT_DIR}`,
];
const CPP_FLAGS = ["-std=gnu++11", "-fno-exceptions", "-fno-threadsafe-statics", "-fno-rtti"];
const C_FLAGS = ["-std=gnu11"];
const OWN_WARNINGS = ["-Wall", "-Wextra"];

interface Stamp {
  hash: string;
  /** The -D definitions it was built with (a custom pin map), so a later check can recompute the hash. */
  defines?: string[];
  flashBytes: number;
  ramBytes: number;
  warnings: string;
}

function settings(defines: readonly string[]): string[] {
  return [...COMMON_FLAGS, ...CPP_FLAGS, ...C_FLAGS, ...defines.map((define) => `-D${define}`)];
}

/** The hash a build with `defines` is cached (and the prebuilt firmware is checked) by: sources and settings. */
export function firmwareSourceHash(defines: readonly string[] = []): Promise<string> {
  return sourceHash([SKETCH_DIR], settings(defines));
}

async function readStamp(path: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function checkToolchain(): Promise<void> {
  if (!(await exists(join(ARDUINO_CORE_DIR, "Arduino.h")))) {
    throw new MassagerError(ErrorCode.FirmwareBuildFailed, `the Arduino AVR core is missing (${ARDUINO_CORE_DIR})`, {
      hint: "apt-get install -y gcc-avr avr-libc arduino-core-avr",
    });
  }
}

/** Reads .text, .data, .bss and .noinit from `avr-size -A`. */
export async function measure(elf: string): Promise<{ flashBytes: number; ramBytes: number }> {
  const { stdout } = await runTool("avr-size", ["-A", elf]);
  const section = (name: string): number => {
    const match = new RegExp(`^\\${name}\\s+(\\d+)`, "m").exec(stdout);
    return match ? Number(match[1]) : 0;
  };
  return {
    flashBytes: section(".text") + section(".data"),
    ramBytes: section(".data") + section(".bss") + section(".noinit"),
  };
}

async function compileAll(work: string, defines: readonly string[]): Promise<{ objects: string[]; warnings: string }> {
  const defineFlags = defines.map((define) => `-D${define}`);
  const arduinoSources = await compilableFiles(ARDUINO_CORE_DIR);
  const ownSources = [...(await compilableFiles(CORE_DIR)), SKETCH_FILE];
  const jobs = [
    ...arduinoSources.map((source) => ({ source, own: false })),
    ...ownSources.map((source) => ({ source, own: true })),
  ];
  const coreObjects: string[] = [];
  const ownObjects: string[] = [];
  const warnings: string[] = [];
  await inParallel(jobs, 2, async ({ source, own }) => {
    const name = basename(source);
    const object = join(work, `${own ? "own" : "arduino"}-${name}.o`);
    const args = [...COMMON_FLAGS, ...defineFlags];
    if (name.endsWith(".S")) {
      args.push("-x", "assembler-with-cpp");
    } else if (name.endsWith(".c")) {
      args.push(...C_FLAGS);
    } else {
      args.push(...CPP_FLAGS);
      // The sketch is C++ that expects Arduino.h, as the IDE's preprocessing would add it.
      if (name.endsWith(".ino")) args.push("-x", "c++", "-include", "Arduino.h");
    }
    args.push(...(own ? [...OWN_WARNINGS, `-I${SKETCH_DIR}`] : ["-w", "-fpermissive"]));
    args.push("-c", source, "-o", object);
    const { stderr } = await runTool(name.endsWith(".c") || name.endsWith(".S") ? "avr-gcc" : "avr-g++", args);
    if (own && stderr.trim()) warnings.push(stderr.trim());
    (own ? ownObjects : coreObjects).push(object);
  });
  const archive = join(work, "arduino-core.a");
  await runTool("avr-gcc-ar", ["rcs", archive, ...coreObjects.sort()]);
  return { objects: [...ownObjects.sort(), archive], warnings: warnings.join("\n") };
}

/**
 * Compiles pins.h alone with the build's definitions: a pin map that breaks one of its rules is
 * refused in a second, with the rule it breaks (the static_assert's message), before the build.
 */
export async function checkPinMap(defines: readonly string[] = []): Promise<void> {
  const args = [...COMMON_FLAGS, ...CPP_FLAGS, ...defines.map((define) => `-D${define}`)];
  try {
    // With Arduino.h, as the sketch sees it: A0..A5 are pin names there.
    await runTool("avr-g++", [...args, "-fsyntax-only", "-x", "c++", "-include", "Arduino.h", PINS_FILE]);
  } catch (error) {
    if (!isMassagerError(error) || !/failed:/.test(error.message)) throw error;
    // The first error is the rule: a static_assert's message, or an #error's.
    const rule = /error: (?:static assertion failed: |#error )"?([^"\n]*)/.exec(error.message)?.[1];
    if (rule === undefined) throw error;
    const given = defines.length > 0 ? ` (built with ${defines.map((define) => `-D${define}`).join(" ")})` : "";
    throw new MassagerError(ErrorCode.FirmwareBuildFailed, `the pin map is refused${given}: ${rule.trim()}`, {
      hint: `change the pin in ${PINS_FILE} or on the build command line, then build again`,
    });
  }
}

/** Builds massager.elf and massager.hex (or returns the cached build) and measures them. */
export async function buildFirmware(options: FirmwareBuildOptions = {}): Promise<FirmwareBuild> {
  const outDir = options.outDir ?? BUILD_DIR;
  try {
    return await build(options);
  } catch (error) {
    // A failed build leaves no firmware behind: the next flash must not quietly write the old pin map.
    const elf = outDir === BUILD_DIR ? FIRMWARE_ELF : join(outDir, "massager.elf");
    const hex = outDir === BUILD_DIR ? FIRMWARE_HEX : join(outDir, "massager.hex");
    await Promise.all([elf, hex, join(outDir, "massager.stamp.json")].map((path) => rm(path, { force: true })));
    // ...nor fall back to the prebuilt default pin map without saying so: flash reads this note.
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, FAILED_NOTE), `${JSON.stringify({ defines: options.defines ?? [], reason })}\n`);
    throw error;
  }
}

/** Written by a failed build, removed by a successful one. */
const FAILED_NOTE = "massager.failed.json";

async function build(options: FirmwareBuildOptions): Promise<FirmwareBuild> {
  const defines = options.defines ?? [];
  const outDir = options.outDir ?? BUILD_DIR;
  const elf = outDir === BUILD_DIR ? FIRMWARE_ELF : join(outDir, "massager.elf");
  const hex = outDir === BUILD_DIR ? FIRMWARE_HEX : join(outDir, "massager.hex");
  const stampPath = join(outDir, "massager.stamp.json");

  await checkToolchain();
  const hash = await firmwareSourceHash(defines);
  const stamp = await readStamp(stampPath);
  if (!options.force && stamp?.hash === hash && (await exists(elf)) && (await exists(hex))) {
    return { elf, hex, flashBytes: stamp.flashBytes, ramBytes: stamp.ramBytes, warnings: stamp.warnings, cached: true };
  }

  await checkPinMap(defines);
  await mkdir(outDir, { recursive: true });
  const work = join(outDir, `.work-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(work, { recursive: true });
  try {
    const { objects, warnings } = await compileAll(work, defines);
    const workElf = join(work, "massager.elf");
    const workHex = join(work, "massager.hex");
    await runTool("avr-gcc", [
      `-mmcu=${MCU}`,
      "-Os",
      "-flto",
      "-fuse-linker-plugin",
      "-Wl,--gc-sections",
      "-o",
      workElf,
      ...objects,
      "-lm",
    ]);
    await runTool("avr-objcopy", ["-O", "ihex", "-R", ".eeprom", workElf, workHex]);
    const sizes = await measure(workElf);
    await rename(workElf, elf);
    await rename(workHex, hex);
    const fresh: Stamp = { hash, defines: [...defines], ...sizes, warnings };
    const workStamp = join(work, "stamp.json");
    await writeFile(workStamp, JSON.stringify(fresh));
    await rename(workStamp, stampPath);
    await rm(join(outDir, FAILED_NOTE), { force: true });
    return { elf, hex, ...sizes, warnings, cached: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** What `outDir` holds: the last successful build, or the note a failed build left, or nothing. */
export type ExistingBuild =
  | { kind: "built"; hex: string; defines: string[]; upToDate: boolean }
  | { kind: "failed"; defines: string[]; reason: string }
  | { kind: "none" };

/**
 * The last build in `outDir` (default device/firmware/build): its hex, its -D definitions and
 * whether the sources changed since (its hash against theirs now); or that it failed.
 */
export async function existingBuild(outDir: string = BUILD_DIR): Promise<ExistingBuild> {
  try {
    const note = JSON.parse(await readFile(join(outDir, FAILED_NOTE), "utf8")) as { defines: string[]; reason: string };
    return { kind: "failed", defines: note.defines, reason: note.reason };
  } catch {
    // no failed build
  }
  const hex = outDir === BUILD_DIR ? FIRMWARE_HEX : join(outDir, "massager.hex");
  const stamp = await readStamp(join(outDir, "massager.stamp.json"));
  if (stamp === undefined || !(await exists(hex))) return { kind: "none" };
  const defines = stamp.defines ?? [];
  return { kind: "built", hex, defines, upToDate: stamp.hash === (await firmwareSourceHash(defines)) };
}
