/**
 * `npm run firmware:prebuilt`: builds the firmware with the default pin map and writes it to
 * device/firmware/prebuilt/ with a manifest (the sources' hash, the size, the pin map), so a
 * person with Node alone can `massager flash`. test/firmware/prebuilt-hex.test.ts fails when the
 * sources change and this was not run again.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import type { PinReport } from "../../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import { DEFAULT_PINS, FIRMWARE_VERSION } from "../../reference-device/capabilities.ts";
import { buildFirmware, firmwareSourceHash } from "./avr-build.ts";
import { PREBUILT_DIR, PREBUILT_HEX, PREBUILT_MANIFEST } from "./paths.ts";

export interface PrebuiltManifest {
  /** firmwareSourceHash([]) of the sources it was built from. */
  sourceHash: string;
  firmware: string;
  flashBytes: number;
  /** The boards it runs on as it is: both an ATmega328P at 16 MHz. */
  boards: string[];
  pins: PinReport;
}

/** Builds the default firmware and writes the prebuilt hex and its manifest. */
async function writePrebuilt(): Promise<PrebuiltManifest> {
  const build = await buildFirmware();
  const manifest: PrebuiltManifest = {
    sourceHash: await firmwareSourceHash(),
    firmware: FIRMWARE_VERSION,
    flashBytes: build.flashBytes,
    boards: ["uno", "nano"],
    pins: { ...DEFAULT_PINS },
  };
  await mkdir(PREBUILT_DIR, { recursive: true });
  await copyFile(build.hex, PREBUILT_HEX);
  await writeFile(PREBUILT_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads the shipped manifest. */
export async function readPrebuiltManifest(): Promise<PrebuiltManifest> {
  try {
    return JSON.parse(await readFile(PREBUILT_MANIFEST, "utf8")) as PrebuiltManifest;
  } catch (error) {
    throw new MassagerError(
      ErrorCode.FirmwareMissing,
      `the prebuilt firmware's manifest is missing (${PREBUILT_MANIFEST})`,
      {
        hint: "reinstall the package, or build it: npm run firmware:prebuilt",
        cause: error,
      },
    );
  }
}

if (process.argv[1]?.endsWith("prebuilt.ts")) {
  try {
    const manifest = await writePrebuilt();
    process.stdout.write(
      `prebuilt: ${PREBUILT_HEX} (${manifest.flashBytes} bytes, firmware ${manifest.firmware}, sources ${manifest.sourceHash})\n`,
    );
  } catch (error) {
    process.stderr.write(`firmware:prebuilt: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 6; // building firmware failed
  }
}
