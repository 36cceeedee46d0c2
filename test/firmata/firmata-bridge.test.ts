import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { FirmataTransport } from "../../device/firmata/firmata-transport.ts";
import { Capability } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";
import { wireClient } from "./helpers.ts";
import { FIRMATA_TEST_PINS, useFirmataBoards } from "./standard-firmata-rig.ts";

describe.runIf(toolchainAvailable(["gcc", "pkg-config"]))(
  "the Firmata bridge against StandardFirmata in the emulated Uno",
  () => {
    const connect = useFirmataBoards();

    it("streams setpoints onto the PWM and direction pins, and an emergency stop zeroes them", async () => {
      const { board, transport } = await connect();
      expect(transport.firmware).toMatch(/StandardFirmata/);
      const wire = wireClient(transport);

      const id = await wire.request({ type: "HELLO", seq: 1, proto: 1 });
      expect(id.type).toBe("ID");
      if (id.type !== "ID") return;
      expect(id.caps & Capability.Program).toBe(0);
      expect(id.caps & Capability.Stream).toBe(Capability.Stream);
      expect(await wire.request({ type: "LOAD", seq: 2, blocks: 1, totalMs: 1000 })).toMatchObject({
        type: "ER",
        code: ErrorCode.NotSupported,
      });

      expect(await wire.request({ type: "STREAM", seq: 3, vibCap: 1000, rotCap: 1000, limitS: 60 })).toMatchObject({
        type: "OK",
      });
      const since = board.events.length;
      expect(await wire.request({ type: "SET", seq: 4, vib: 600, rot: -400 })).toMatchObject({ type: "OK" });
      // The full levels: 600 -> duty 153 on D5; 400 -> duty 102 on D6.
      const vibFull = await board.waitFor((e) => e.kind === "pwm" && e.pin === 5 && e.value === 153, 10_000, since);
      const rotFull = await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 102, 10_000, since);
      // A ramp, never a jump: many small rising steps (the host-side slew limit, 400 ms per full scale).
      const vibSteps = board.events
        .slice(since)
        .filter((e) => e.kind === "pwm" && e.pin === 5 && e.timeUs <= vibFull.timeUs)
        .map((e) => (e.kind === "pwm" ? e.value : -1));
      expect(vibSteps.length).toBeGreaterThan(5);
      expect(vibSteps).toEqual([...vibSteps].sort((a, b) => a - b));
      // (The slew runs on the host's real timers: a tick a loaded machine runs late makes a bigger step
      // at the same rate, so the bound is "well short of the level", not the ~3 duty of a 5 ms tick.)
      expect(Math.max(...vibSteps.slice(1).map((v, i) => v - (vibSteps[i] ?? 0)))).toBeLessThan(100);
      // Reversed rotation: the direction pin goes LOW before the rotation PWM rises, then stays LOW.
      const after = board.events.slice(since);
      const firstRot = after.find((e) => e.kind === "pwm" && e.pin === 6 && e.value > 0);
      const dirLow = after.find((e) => e.kind === "pin" && e.pin === 7 && e.value === 0);
      expect(dirLow?.timeUs).toBeLessThanOrEqual(firstRot?.timeUs ?? -1);
      expect(rotFull.timeUs).toBeGreaterThan(firstRot?.timeUs ?? Number.POSITIVE_INFINITY);
      expect(board.level(7)).toBe(0);

      await wire.request({ type: "PING", seq: 5 });
      const beforeStop = board.events.length;
      expect(await wire.request({ type: "ESTOP", seq: 6 })).toMatchObject({ type: "OK" });
      const vibOff = await board.waitFor((e) => e.kind === "pwm" && e.pin === 5 && e.value === 0, 10_000, beforeStop);
      const rotOff = await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 0, 10_000, beforeStop);
      // No ramp: one step from full to zero.
      const afterStop = board.events
        .slice(beforeStop)
        .flatMap((e) => (e.kind === "pwm" && e.pin === 5 ? [e.value] : []));
      expect(afterStop).toEqual([0]);
      // Both go out in the same call; on a loaded host the serial writes may still land apart (real
      // time: the paced board's clock follows the wall clock), so this only rules out a second stop.
      expect(Math.abs(vibOff.timeUs - rotOff.timeUs)).toBeLessThan(1_000_000);
    });

    it("close() leaves the motor pins at zero mid-session (two-input H-bridge wiring)", async () => {
      // The firmware's default wiring: rotation PWM on D9, IN1/IN2 on D7/D8.
      const { board, transport } = await connect({ vibration: { pwm: 5 }, rotation: { pwm: 9, dir: 7, cdir: 8 } });
      const wire = wireClient(transport);
      await wire.request({ type: "STREAM", seq: 1, vibCap: 1000, rotCap: 1000, limitS: 60 });
      const since = board.events.length;
      await wire.request({ type: "SET", seq: 2, vib: 1000, rot: 1000 });
      await board.waitFor((e) => e.kind === "pwm" && e.pin === 9 && e.value > 100, 10_000, since);
      expect([board.level(7), board.level(8)]).toEqual([1, 0]); // clockwise: IN1 high, IN2 low
      await transport.close();
      await board.waitFor((e) => e.kind === "pwm" && e.pin === 5 && e.value === 0, 10_000, since);
      await board.waitFor((e) => e.kind === "pwm" && e.pin === 9 && e.value === 0, 10_000, since);
      // Nothing moves after the close.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(board.duty(5)).toBe(0);
      expect(board.duty(9)).toBe(0);
    });

    it("a lost link is reported as a disconnect", async () => {
      const { board, transport } = await connect();
      const disconnected = new Promise((resolve) => transport.once("disconnect", resolve));
      await board.stop(); // the board vanishes, as an unplugged USB cable
      const reason = await disconnected;
      expect(isMassagerError(reason, ErrorCode.Disconnected)).toBe(true);
      expect(transport.isOpen).toBe(false);
    });

    it("says so when the port has no Firmata firmware on it", async () => {
      const sketch = await import("../support/avr-toolchain.ts").then((m) =>
        m.buildSketch(join(import.meta.dirname, "..", "avr-sim", "fixtures", "echo-pwm.c")),
      );
      const board = await startEmulatedBoard({ firmware: sketch, pins: [6] });
      const transport = new FirmataTransport({ path: board.ptyPath, pins: FIRMATA_TEST_PINS, handshakeTimeoutMs: 800 });
      try {
        await expect(transport.open()).rejects.toThrow(/E400 HandshakeFailed/);
      } finally {
        await transport.close();
        await board.stop();
      }
    });
  },
);
