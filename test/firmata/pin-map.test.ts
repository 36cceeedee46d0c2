import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FirmataTransport } from "../../device/firmata/firmata-transport.ts";
import { parseInlinePinMap, resolvePinMap } from "../../device/firmata/pin-map.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";

async function codeOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    return isMassagerError(error) ? error.code : -1;
  }
  return undefined;
}

describe("the Firmata pin map", () => {
  it("parses the inline form, with and without a second direction pin", () => {
    expect(parseInlinePinMap("vib=5,rot=6,dir=7")).toEqual({ vibration: { pwm: 5 }, rotation: { pwm: 6, dir: 7 } });
    expect(parseInlinePinMap(" vib=3 , rot=9, dir=7,cdir=8")).toEqual({
      vibration: { pwm: 3 },
      rotation: { pwm: 9, dir: 7, cdir: 8 },
    });
    expect(parseInlinePinMap("vib=10,rot=9,dir=7,cdir=8,stby=4")).toEqual({
      vibration: { pwm: 10 },
      rotation: { pwm: 9, dir: 7, cdir: 8 },
      stby: 4,
    });
    expect(() => parseInlinePinMap("vib=10,rot=9,dir=7,stby=7")).toThrow(/every pin may be used once only/);
    expect(() => parseInlinePinMap("vib=10,rot=9,dir=7,stby=1")).toThrow(/stby/);
  });

  it("refuses a missing map with NoPinMap and an example of the option", async () => {
    for (const option of [undefined, "", "  "]) {
      const error = await resolvePinMap(option).catch((e: unknown) => e);
      expect(isMassagerError(error, ErrorCode.NoPinMap)).toBe(true);
      expect((error as { hint: string }).hint).toContain("--pins vib=10,rot=9,dir=7,cdir=8,stby=4");
    }
    expect(() => new FirmataTransport({ path: "/dev/null", pins: undefined })).toThrow(/E403 NoPinMap/);
  });

  it("refuses non-PWM motor pins, the serial pins, reused pins and unknown keys", async () => {
    for (const bad of [
      "vib=4,rot=6,dir=7",
      "vib=5,rot=6,dir=1",
      "vib=5,rot=6,dir=6",
      "vib=5,rot=6",
      "vib=5,rot=6,dir=7,led=13",
      "vib=x,rot=6,dir=7",
    ]) {
      expect(await codeOf(resolvePinMap(bad)), bad).toBe(ErrorCode.InvalidOption);
    }
  });

  it("reads a JSON file and says which file is wrong", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pins-"));
    const good = join(dir, "pins.json");
    await writeFile(good, JSON.stringify({ vibration: { pwm: 10 }, rotation: { pwm: 11, dir: 12, cdir: 13 } }));
    expect(await resolvePinMap(good)).toEqual({ vibration: { pwm: 10 }, rotation: { pwm: 11, dir: 12, cdir: 13 } });
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ vibration: { pwm: 10 } }));
    await expect(resolvePinMap(bad)).rejects.toThrow(/bad\.json.*rotation/);
    expect(await codeOf(resolvePinMap(join(dir, "missing.json")))).toBe(ErrorCode.FileUnreadable);
  });
});
