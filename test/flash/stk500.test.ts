import { describe, expect, it } from "vitest";
import { BOARDS } from "../../device/flash/boards.ts";
import { pagesOf, programBoard } from "../../device/flash/flash.ts";
import { parseIntelHex } from "../../device/flash/intel-hex.ts";
import type { ByteLink } from "../../device/flash/stk500.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";

/**
 * A fake STK500v1 bootloader at the byte seam: it parses requests as Optiboot does and keeps
 * a flash array. `corruptAt` flips one byte as it is read back.
 */
function fakeBootloader(options: { signature?: number[]; corruptAt?: number; silent?: boolean } = {}) {
  const flash = new Uint8Array(0x8000).fill(0xff);
  let listener: ((chunk: Uint8Array) => void) | undefined;
  let pending: number[] = [];
  let address = 0;
  const reply = (...bytes: number[]): void => {
    const out = Uint8Array.of(0x14, ...bytes, 0x10);
    setImmediate(() => listener?.(out));
  };
  const consume = (): void => {
    for (;;) {
      const command = pending[0];
      const need =
        command === 0x55
          ? 4
          : command === 0x41
            ? 3
            : command === 0x74
              ? 5
              : command === 0x64
                ? 5 + ((pending[1] ?? 0) << 8) + (pending[2] ?? 0)
                : 2;
      if (pending.length < need) return;
      const frame = pending.slice(0, need);
      pending = pending.slice(need);
      if (frame[frame.length - 1] !== 0x20) {
        setImmediate(() => listener?.(Uint8Array.of(0x15)));
        continue;
      }
      if (command === 0x55) {
        address = ((frame[1] ?? 0) | ((frame[2] ?? 0) << 8)) * 2;
        reply();
      } else if (command === 0x64) {
        flash.set(frame.slice(4, -1), address);
        reply();
      } else if (command === 0x74) {
        const length = ((frame[1] ?? 0) << 8) | (frame[2] ?? 0);
        const data = [...flash.slice(address, address + length)];
        const at = (options.corruptAt ?? -1) - address;
        if (at >= 0 && at < length) data[at] = (data[at] ?? 0) ^ 0x01;
        reply(...data);
      } else if (command === 0x75) reply(...(options.signature ?? [0x1e, 0x95, 0x0f]));
      else if (command === 0x41) reply(0x04);
      else reply();
    }
  };
  const link: ByteLink = {
    async write(bytes) {
      if (options.silent) return;
      pending.push(...bytes);
      consume();
    },
    onData(l) {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
  };
  return { link, flash };
}

const IMAGE = parseIntelHex(":10000000000102030405060708090A0B0C0D0E0F78\n:0400100010111213A6\n:00000001FF\n");

describe("the STK500v1 flasher (against a fake bootloader)", () => {
  it("parses Intel HEX into an image with erased gaps and rejects a bad checksum", () => {
    expect([...IMAGE.bytes]).toEqual([...Array.from({ length: 20 }, (_, i) => i)]);
    expect(() => parseIntelHex(":10000000000102030405060708090A0B0C0D0E0F79\n:00000001FF\n", "bad.hex")).toThrow(
      /bad\.hex:1: .*bad checksum/,
    );
    const gap = parseIntelHex(":020004000102F7\n:00000001FF\n");
    expect([...gap.bytes]).toEqual([0xff, 0xff, 0xff, 0xff, 1, 2]);
  });

  it("writes whole pages, verifies them and reports progress", async () => {
    const { link, flash } = fakeBootloader();
    const progress: string[] = [];
    const result = await programBoard(link, pagesOf(IMAGE, BOARDS.uno, "test"), {
      port: "fake",
      board: BOARDS.uno,
      image: IMAGE,
      onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`),
    });
    expect([...flash.slice(0, 21)]).toEqual([...IMAGE.bytes, 0xff]);
    expect(result).toMatchObject({ bytes: 20, pages: 1, signature: [0x1e, 0x95, 0x0f] });
    expect(progress).toEqual(["write 128/128", "verify 128/128"]);
  });

  it("fails the verify pass with the address and both bytes", async () => {
    const { link } = fakeBootloader({ corruptAt: 7 });
    const error = await programBoard(link, pagesOf(IMAGE, BOARDS.uno, "test"), {
      port: "fake",
      board: BOARDS.uno,
      image: IMAGE,
    }).catch((e: unknown) => e);
    expect(isMassagerError(error, ErrorCode.VerifyFailed)).toBe(true);
    expect(String(error)).toContain("verify failed at 0x0007: wrote 0x07, read back 0x06");
  });

  it("names a wrong chip and a silent port", async () => {
    const wrong = fakeBootloader({ signature: [0x1e, 0x94, 0x06] });
    await expect(
      programBoard(wrong.link, pagesOf(IMAGE, BOARDS.uno, "test"), { port: "p", board: BOARDS.uno, image: IMAGE }),
    ).rejects.toThrow(/ATmega168 \(1E 94 06\)/);
    const silent = fakeBootloader({ silent: true });
    const error = await programBoard(silent.link, pagesOf(IMAGE, BOARDS.uno, "test"), {
      port: "/dev/ttyX",
      board: BOARDS.uno,
      image: IMAGE,
      syncTimeoutMs: 400,
    }).catch((e: unknown) => e);
    expect(isMassagerError(error, ErrorCode.FlashFailed)).toBe(true);
    expect(String(error)).toContain("no bootloader answered on /dev/ttyX at 115200 baud");
    expect((error as { hint: string }).hint).toContain("--board nano");
  });

  it("refuses an image that would overwrite the bootloader", () => {
    const big = { bytes: new Uint8Array(0x7e01), start: 0 };
    expect(() => pagesOf(big, BOARDS.uno, "big.hex")).toThrow(/big\.hex needs 32257 bytes.*32256/);
  });
});
