/**
 * Issue 14 item 8: the repository ships a prebuilt massager.hex (default pin map, Uno/Nano), so
 * `massager flash` works with Node alone. It must be the firmware the sources make: its manifest
 * holds the sources' hash (checked with no toolchain), and with the toolchain a fresh build must
 * be the same bytes. `massager flash --firmware massager` falls back to it when there is no local
 * build, and refuses (rather than quietly flashing the default map) after a failed or stale build.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFirmware, firmwareSourceHash } from "../../device/firmware/tools/avr-build.ts";
import { BUILD_DIR, PREBUILT_HEX } from "../../device/firmware/tools/paths.ts";
import { readPrebuiltManifest } from "../../device/firmware/tools/prebuilt.ts";
import { chooseFirmware } from "../../device/flash/firmware-choice.ts";
import { parseIntelHex } from "../../device/flash/intel-hex.ts";
import { DEFAULT_PINS, FIRMWARE_VERSION } from "../../device/reference-device/capabilities.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { gate } from "../support/tools.ts";

const STALE = "the prebuilt firmware is not built from these sources: run npm run firmware:prebuilt and commit it";

describe("the prebuilt firmware", () => {
  it("is built from the sources as they are (its manifest's source hash)", async () => {
    const manifest = await readPrebuiltManifest();
    expect(manifest.sourceHash, STALE).toBe(await firmwareSourceHash());
    expect(manifest.firmware).toBe(FIRMWARE_VERSION);
    expect(manifest.pins).toEqual(DEFAULT_PINS);
    expect(manifest.boards).toEqual(["uno", "nano"]);
    const image = parseIntelHex(await readFile(PREBUILT_HEX, "utf8"), PREBUILT_HEX);
    expect(image.bytes.length).toBe(manifest.flashBytes);
    expect(image.bytes.length).toBeLessThan(32_256); // below Optiboot's 512 bytes
  });

  it("is what `--firmware massager` flashes when there is no local build, and `--firmware prebuilt` always", async () => {
    const empty = await mkdtemp(join(tmpdir(), "massager-nobuild-"));
    try {
      const choice = await chooseFirmware("massager", "uno", { buildDir: empty });
      expect(choice.path).toBe(PREBUILT_HEX);
      expect(choice.origin).toEqual({ from: "prebuilt" });
      expect((await chooseFirmware("prebuilt", "nano")).path).toBe(PREBUILT_HEX);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("is not flashed in place of a build that failed or is older than the sources", async () => {
    const dir = await mkdtemp(join(tmpdir(), "massager-build-"));
    try {
      await writeFile(
        join(dir, "massager.failed.json"),
        JSON.stringify({ defines: ["PIN_ROTATION_IN1=1"], reason: "D0/D1" }),
      );
      const failed = await chooseFirmware("massager", "uno", { buildDir: dir }).catch((error: unknown) => error);
      expect(isMassagerError(failed, ErrorCode.FirmwareBuildFailed)).toBe(true);
      expect(String(failed)).toMatch(/last firmware build \(-DPIN_ROTATION_IN1=1\) failed/);
      expect(isMassagerError(failed) && failed.hint).toMatch(/--firmware prebuilt/);

      await rm(join(dir, "massager.failed.json"));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "massager.hex"), await readFile(PREBUILT_HEX, "utf8"));
      await writeFile(join(dir, "massager.stamp.json"), JSON.stringify({ hash: "0000", defines: ["PIN_STBY=2"] }));
      const stale = await chooseFirmware("massager", "uno", { buildDir: dir }).catch((error: unknown) => error);
      expect(String(stale)).toMatch(/your firmware build \(-DPIN_STBY=2\) is older than the sources/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const toolchain = await gate("the AVR toolchain", () => buildFirmware());

describe.skipIf(!toolchain.ok)("the prebuilt firmware against a fresh build", () => {
  it("is byte for byte the hex the sources build to", async () => {
    if (!toolchain.ok) return;
    const fresh = parseIntelHex(await readFile(toolchain.value.hex, "utf8"), toolchain.value.hex);
    const shipped = parseIntelHex(await readFile(PREBUILT_HEX, "utf8"), PREBUILT_HEX);
    expect(Buffer.from(shipped.bytes).equals(Buffer.from(fresh.bytes)), STALE).toBe(true);
    expect(toolchain.value.hex).toBe(join(BUILD_DIR, "massager.hex"));
  });
});
