/** `--firmware massager|firmata|FILE.hex`: which image to flash, as a file and a kind. */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { BoardName } from "./boards.ts";
import { type FlashImage, parseIntelHex } from "./intel-hex.ts";
import { standardFirmataHex } from "./standard-firmata.ts";

/** The project firmware's build output (`npm run firmware:build`). */
export const MASSAGER_HEX = join(dirname(fileURLToPath(import.meta.url)), "..", "firmware", "build", "massager.hex");

export type FirmwareKind = "massager" | "firmata" | "file";

export interface FirmwareChoice {
  kind: FirmwareKind;
  path: string;
  image: FlashImage;
}

export interface FirmwareChoiceOptions {
  /** Where StandardFirmata is cached. */
  cacheDir?: string;
  /** Overrides the massager firmware's path (tests). */
  massagerHex?: string;
}

/** Resolves the choice to a parsed image; FirmwareMissing (with the fix) when the file is not there. */
export async function chooseFirmware(
  choice: string,
  board: BoardName,
  options: FirmwareChoiceOptions = {},
): Promise<FirmwareChoice> {
  let kind: FirmwareKind = "file";
  let path: string;
  if (choice === "massager") {
    kind = "massager";
    path = options.massagerHex ?? MASSAGER_HEX;
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
      hint: kind === "massager" ? "build it first: npm run firmware:build" : "check the path of the .hex file",
      cause: error,
    });
  }
  return { kind, path, image: parseIntelHex(text, path) };
}
