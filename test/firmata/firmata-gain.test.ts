/**
 * Protocol 1.1 on the Firmata bridge, against StandardFirmata in the emulated Uno: GAIN is applied
 * on the host (in the bridge's device core, before the caps, through the slew limit), and the stop
 * byte reaches the pins within the call.
 */
import { describe, expect, it } from "vitest";
import { Capability } from "../../protocol/commands.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";
import { wireClient } from "./helpers.ts";
import { useFirmataBoards } from "./standard-firmata-rig.ts";

describe.runIf(toolchainAvailable(["gcc", "pkg-config"]))("GAIN and the stop byte on the Firmata bridge", () => {
  const connect = useFirmataBoards();

  it("says 1.1 in ID, ramps a GAIN change onto the pins, and cuts them on the stop byte", async () => {
    const { board, transport } = await connect();
    const wire = wireClient(transport);
    const id = await wire.request({ type: "HELLO", seq: 1, proto: 1 });
    expect(id).toMatchObject({ type: "ID", firmware: "1.1.0" });
    if (id.type !== "ID") return;
    expect(id.caps & Capability.Gain).toBe(Capability.Gain);
    expect(id.caps & Capability.StopByte).toBe(Capability.StopByte);

    await wire.request({ type: "STREAM", seq: 2, vibCap: 1000, rotCap: 600, limitS: 60 });
    let since = board.events.length;
    await wire.request({ type: "SET", seq: 3, vib: 1000, rot: 1000 });
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 5 && e.value === 255, 10_000, since);
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 153, 10_000, since); // rotCap 600

    since = board.events.length;
    expect(await wire.request({ type: "GAIN", seq: 4, vib: 500, rot: 500 })).toMatchObject({ type: "OK" });
    // 1000 × 50 % = 500: duty 128. The rotation, 1000 × 50 % = 500, is now under its cap of 600: duty 128.
    const vibHalf = await board.waitFor((e) => e.kind === "pwm" && e.pin === 5 && e.value === 128, 10_000, since);
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 128, 10_000, since);
    const ramp = board.events
      .slice(since)
      .flatMap((e) => (e.kind === "pwm" && e.pin === 5 && e.timeUs <= vibHalf.timeUs ? [e.value] : []));
    // A ramp down, not a jump: several falling steps, each small (2.5 permille per ms at 400 ms full scale).
    expect(ramp.length).toBeGreaterThan(5);
    // Downhill: no rise of more than one duty step's rounding (a 252 then 253 is seen on the first
    // step after GAIN on a busy machine; cause not yet found).
    const rises = ramp.slice(1).map((v, i) => v - (ramp[i] ?? 0));
    expect(Math.max(...rises)).toBeLessThanOrEqual(2);
    expect(ramp.at(-1)).toBeLessThan(ramp[0] ?? 0);
    // (The slew runs on the host's real timers: a tick a loaded machine runs late makes a bigger step
    // at the same rate, so the bound is "well short of the change", not the ~3 duty of a 5 ms tick.)
    expect(Math.max(...ramp.slice(1).map((v, i) => (ramp[i] ?? 0) - v))).toBeLessThan(100);

    since = board.events.length;
    await transport.sendStopByte();
    const vibOff = await board.waitFor((e) => e.kind === "pwm" && e.pin === 5 && e.value === 0, 10_000, since);
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 0, 10_000, since);
    // Straight to zero, no ramp: writes already on the wire may land first, nothing positive after the zero.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const afterZero = board.events.filter((e) => e.kind === "pwm" && e.pin === 5 && e.timeUs > vibOff.timeUs);
    expect(afterZero.filter((e) => e.kind === "pwm" && e.value > 0)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(wire.lines.some((line) => line.startsWith("ST IDLE ESTOP"))).toBe(true);
  });
});
