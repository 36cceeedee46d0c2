/**
 * `--firmware massager|prebuilt|firmata|FILE.hex`: which image to flash, as a file and a kind.
 * `massager` is your own build (device/firmware/build, `npm run firmware:build`, for a custom pin
 * map) when there is one, else the prebuilt firmware shipped with the package (default pin map),
 * so flashing needs Node alone. A build that failed, or is older than the sources, is refused
 * rather than replaced quietly by the default pin map.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { existingBuild } from "../firmware/tools/avr-build.ts";
import { BUILD_DIR, PINS_FILE, PREBUILT_HEX } from "../firmware/tools/paths.ts";
import type { BoardName } from "./boards.ts";
import { type FlashImage, parseIntelHex } from "./intel-hex.ts";
import { standardFirmataHex } from "./standard-firmata.ts";

export type FirmwareKind = "massager" | "firmata" | "file";

export interface FirmwareChoice {
  kind: FirmwareKind;
  path: string;
  image: FlashImage;
  /** For the massager firmware: a local build (with its -D definitions) or the prebuilt one. */
  origin?: { from: "build"; defines: string[] } | { from: "prebuilt" };
}

export interface FirmwareChoiceOptions {
  /** Where StandardFirmata is cached. */
  cacheDir?: string;
  /** Overrides the massager firmware's path (tests). */
  massagerHex?: string;
  /** Where a local build is looked for (tests); default device/firmware/build. */
  buildDir?: string;
}

async function massagerFirmware(
  options: FirmwareChoiceOptions,
): Promise<{ path: string; origin: NonNullable<FirmwareChoice["origin"]> }> {
  if (options.massagerHex) return { path: options.massagerHex, origin: { from: "build", defines: [] } };
  const build = await existingBuild(options.buildDir ?? BUILD_DIR);
  const given = (defines: string[]): string => (defines.length ? ` (${defines.map((d) => `-D${d}`).join(" ")})` : "");
  if (build.kind === "failed") {
    throw new MassagerError(
      ErrorCode.FirmwareBuildFailed,
      `the last firmware build${given(build.defines)} failed, so there is no firmware with your pin map: ${build.reason}`,
      { hint: `fix ${PINS_FILE} and run npm run firmware:build, or flash the default pin map: --firmware prebuilt` },
    );
  }
  if (build.kind === "built") {
    if (!build.upToDate) {
      throw new MassagerError(
        ErrorCode.FirmwareBuildFailed,
        `your firmware build${given(build.defines)} is older than the sources in device/firmware/massager`,
        { hint: "build it again: npm run firmware:build, or flash the default pin map: --firmware prebuilt" },
      );
    }
    return { path: build.hex, origin: { from: "build", defines: build.defines } };
  }
  return { path: PREBUILT_HEX, origin: { from: "prebuilt" } };
}

/** Resolves the choice to a parsed image; FirmwareMissing (with the fix) when the file is not there. */
export async function chooseFirmware(
  choice: string,
  board: BoardName,
  options: FirmwareChoiceOptions = {},
): Promise<FirmwareChoice> {
  let kind: FirmwareKind = "file";
  let path: string;
  let origin: FirmwareChoice["origin"];
  if (choice === "massager") {
    kind = "massager";
    ({ path, origin } = await massagerFirmware(options));
  } else if (choice === "prebuilt") {
    kind = "massager";
    path = PREBUILT_HEX;
    origin = { from: "prebuilt" };
  } else if (choice === "firmata") {
    kind = "firmata";
    path = await standardFirmataHex(board, options.cacheDir);
  } else {
    path = resolve(choice);
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MassagerError(ErrorCode.FirmwareMissing, `no firmware file at ${path}`, {
      hint: kind === "massager" ? "build it: npm run firmware:build" : "check the path of the .hex file",
      cause: error,
    });
  }
  const image = parseIntelHex(text, path);
  return origin === undefined ? { kind, path, image } : { kind, path, image, origin };
}
