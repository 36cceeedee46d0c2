/**
 * `--device` specs resolve through a scheme map the caller passes (device/composition/device-schemes.ts), not
 * a registry in module state: one command's `--pins` or extra scheme never leaks into another's,
 * and device/transport/ knows nothing of the simulator.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RealClock } from "../../device/clock.ts";
import { type DeviceSchemes, defaultDeviceSchemes } from "../../device/composition/device-schemes.ts";
import { deviceFromSpec, type SchemeResolver } from "../../device/composition/device-spec.ts";
import { resolvePinMap } from "../../device/firmata/pin-map.ts";
import { createMemoryPair } from "../../device/transport/memory.ts";
import { ErrorCode, isMassagerError, type MassagerError } from "../../protocol/errors.ts";
import { ROOT, sourceFiles } from "../layers/imports.ts";

const context = { clock: new RealClock() };

function refusal(spec: string, schemes: DeviceSchemes): MassagerError {
  try {
    deviceFromSpec(spec, context, schemes);
  } catch (error) {
    if (isMassagerError(error)) return error;
    throw error;
  }
  throw new Error(`${spec} was accepted`);
}

describe("the device schemes", () => {
  it("knows sim, serial, tcp, ble and firmata, and resolves sim to a running simulator", () => {
    const schemes = defaultDeviceSchemes();
    expect([...schemes.keys()].sort()).toEqual(["ble", "firmata", "serial", "sim", "tcp"]);
    const sim = deviceFromSpec("sim", context, schemes);
    expect(sim.simulator?.device.core.state.state).toBe("IDLE");
    sim.dispose();
    expect(deviceFromSpec("tcp:[::1]:7878", context, schemes).description).toBe("tcp:::1:7878");
  });

  it("refuses firmata: without a pin map, and takes the pins it is given", async () => {
    expect(refusal("firmata:/dev/ttyACM0", defaultDeviceSchemes()).code).toBe(ErrorCode.NoPinMap);
    const withPins = defaultDeviceSchemes({ pins: await resolvePinMap("vib=10,rot=9,dir=7") });
    expect(deviceFromSpec("firmata:/dev/ttyACM0", context, withPins).description).toBe("firmata:/dev/ttyACM0");
  });

  it("an extra scheme is in the map it was given to and in no other", () => {
    const loop: SchemeResolver = () => ({
      scheme: "loop",
      description: "loop",
      transport: () => createMemoryPair({ clock: context.clock }).host,
      dispose: () => {},
    });
    const extra = new Map([["loop", loop]]);
    const withExtra = defaultDeviceSchemes({ extra });
    expect(deviceFromSpec("loop", context, withExtra).scheme).toBe("loop");
    const plain = defaultDeviceSchemes();
    const unknown = refusal("loop:1", plain);
    expect(unknown.code).toBe(ErrorCode.InvalidOption);
    expect(unknown.message).toMatch(/^--device loop:1: unknown kind of device "loop"/);
    expect(unknown.hint).not.toContain("loop");
    expect(refusal("bogus", withExtra).hint).toContain("loop:...");
  });

  it("device/transport/ imports nothing from the simulator (no transport ↔ simulator cycle)", () => {
    const files = sourceFiles(join(ROOT, "device/transport"));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) => /from\s+["'][^"']*simulator\//.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
