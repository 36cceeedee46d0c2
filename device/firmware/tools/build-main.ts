/**
 * `npm run firmware:build [-- --force] [-- -DROTATION_DRIVER_TWO_PWM ...]`: builds
 * device/firmware/build/massager.elf and massager.hex and prints their flash and RAM use.
 */
import { isMassagerError } from "../../../protocol/errors.ts";
import { buildFirmware, CHIP_FLASH_BYTES, CHIP_RAM_BYTES } from "./avr-build.ts";

const args = process.argv.slice(2);
const defines = args.filter((arg) => arg.startsWith("-D")).map((arg) => arg.slice(2));

function percent(used: number, total: number): string {
  return `${((100 * used) / total).toFixed(1)}%`;
}

try {
  const build = await buildFirmware({ force: args.includes("--force"), defines });
  if (build.warnings) process.stderr.write(`${build.warnings}\n`);
  process.stdout.write(
    [
      `firmware: ${build.elf}`,
      `          ${build.hex}${build.cached ? " (up to date)" : ""}`,
      `flash: ${build.flashBytes} of ${CHIP_FLASH_BYTES} bytes (${percent(build.flashBytes, CHIP_FLASH_BYTES)})`,
      `RAM:   ${build.ramBytes} of ${CHIP_RAM_BYTES} bytes (${percent(build.ramBytes, CHIP_RAM_BYTES)}) before the stack`,
      "",
    ].join("\n"),
  );
} catch (error) {
  process.stderr.write(`firmware:build: ${error instanceof Error ? error.message : String(error)}\n`);
  if (isMassagerError(error) && error.hint) process.stderr.write(`  fix: ${error.hint}\n`);
  process.exitCode = 6; // as the massager command's table says: building or flashing firmware failed
}
