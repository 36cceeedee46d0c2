/**
 * For the emulated-board suites (avr-sim, firmata, flash): the AVR toolchain check and tiny sketches built with avr-gcc.
 */
import { execFile } from "node:child_process";
import { mkdir, rename, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { AVR_SIM_BUILD_DIR } from "../../device/avr-sim/build-harness.ts";
import { canRun, missingCommands } from "./tools.ts";

const run = promisify(execFile);

/** Tools the emulated-board suites need, with the Debian package that brings each. */
const TOOLS: Record<string, string> = {
  gcc: "gcc",
  "pkg-config": "pkg-config",
  "avr-gcc": "gcc-avr",
  "avr-objcopy": "binutils-avr",
};

/**
 * True when an emulated-board suite can run. With CI=true a missing tool is a failure (never a
 * skip); on a developer machine the suite is skipped and says why.
 */
export function toolchainAvailable(names: readonly string[] = Object.keys(TOOLS)): boolean {
  const missing = missingCommands(names);
  const packages = missing.map((name) => TOOLS[name] ?? name).join(" ");
  return canRun("the emulated-board suite", missing, `apt-get install -y ${packages} simavr libsimavr-dev libelf-dev`);
}

/** Compiles one avr-libc C file for the ATmega328P at 16 MHz into the build folder; returns the ELF path. */
export async function buildSketch(source: string): Promise<string> {
  await mkdir(AVR_SIM_BUILD_DIR, { recursive: true });
  const elf = join(AVR_SIM_BUILD_DIR, `${basename(source, ".c")}.elf`);
  const built = await stat(elf).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  const changed = await stat(source).then((s) => s.mtimeMs);
  if (built !== undefined && built >= changed) return elf;
  const temporary = `${elf}.${process.pid}.tmp`;
  await run("avr-gcc", ["-mmcu=atmega328p", "-DF_CPU=16000000UL", "-Os", "-o", temporary, source], {
    timeout: 60_000,
  });
  await rename(temporary, elf);
  return elf;
}

/** The sketch as Intel HEX (for flashing tests), beside its ELF. */
export async function buildSketchHex(source: string): Promise<string> {
  const elf = await buildSketch(source);
  const hex = elf.replace(/\.elf$/, ".hex");
  const temporary = `${hex}.${process.pid}.tmp`;
  await run("avr-objcopy", ["-O", "ihex", "-R", ".eeprom", elf, temporary], { timeout: 30_000 });
  await rename(temporary, hex);
  return hex;
}
