/**
 * Issue 14 items 3 and 4 on the emulated Uno's pins, with the real firmware:
 * - both motor PWMs switch at 20 kHz (Timer1 on D9/D10; D3 on Timer2 in the two-PWM build), not
 *   analogWrite's audible 490/980 Hz, while Timer0 still keeps the firmware's clock;
 * - STBY (D4) is low until a motor runs and goes low on every stop path: STOP's ramp, ESTOP, the
 *   silence watchdog, and the hardware watchdog's reset after a hang.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { findSelfLoop } from "../../device/avr-sim/self-loop.ts";
import { buildFirmware } from "../../device/firmware/tools/avr-build.ts";
import { BUILD_DIR } from "../../device/firmware/tools/paths.ts";
import { dutyOf, firmware, largestRise, PIN, startMassagerBoard } from "./support/massager-board.ts";
import { RawHost } from "./support/raw-host.ts";

const PWM_HZ = 20_000;

type Request = Parameters<RawHost["send"]>[0];

/** Sends one request and waits for its OK. */
async function request(host: RawHost, message: Request): Promise<void> {
  const since = host.lines.length;
  const seq = await host.send(message);
  await host.waitFor((line) => line.startsWith(`OK ${seq}*`), 3_000, since);
}

describe.skipIf(!firmware.ok)("the firmware's motor outputs on the emulated Uno", () => {
  let board: EmulatedBoard | undefined;
  let host: RawHost | undefined;

  afterEach(async () => {
    await host?.close();
    await board?.stop();
    host = undefined;
    board = undefined;
  });

  async function running(): Promise<{ board: EmulatedBoard; host: RawHost }> {
    if (!firmware.ok) throw new Error("no firmware");
    board = await startMassagerBoard(firmware.value);
    host = await RawHost.open(board.ptyPath);
    await host.hello();
    return { board, host };
  }

  it("runs both motor PWMs at 20 kHz", { timeout: 60_000 }, async () => {
    const { board, host } = await running();
    expect(board.level(PIN.standby)).toBe(0);
    await request(host, { type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    await request(host, { type: "SET", vib: 600, rot: -300 });
    const since = 0;
    await board.waitFor((e) => e.kind === "pwm" && e.pin === PIN.vibration && e.value === dutyOf(600), 5_000, since);
    await board.waitFor((e) => e.kind === "pwm" && e.pin === PIN.rotation && e.value === dutyOf(300), 5_000, since);
    expect(board.level(PIN.counterClockwise)).toBe(1);
    expect(board.level(PIN.standby)).toBe(1);
    // The 16-bit compare registers change in one step, as through the chip's TEMP register: a ramp
    // across 255 (0x00FF -> 0x0100) never shows the new high byte with the old low byte.
    expect(largestRise(board.events, PIN.vibration)).toBeLessThanOrEqual(2);
    expect(largestRise(board.events, PIN.rotation)).toBeLessThanOrEqual(2);

    for (const pin of [PIN.vibration, PIN.rotation]) {
      const waveform = await board.measure(pin, 20);
      expect(waveform.periodNs, `D${pin}`).toBe(1e9 / PWM_HZ);
      expect(waveform.periods, `D${pin}`).toBeGreaterThan(300); // 400 in 20 ms; simavr drops a few
    }
    await request(host, { type: "ESTOP" });
    expect(board.level(PIN.standby)).toBe(0);
  });

  it("runs the two-PWM build's three PWMs at 20 kHz too (vibration on D3, Timer2)", { timeout: 180_000 }, async () => {
    const build = await buildFirmware({ defines: ["ROTATION_DRIVER_TWO_PWM"], outDir: join(BUILD_DIR, "two-pwm") });
    board = await startEmulatedBoard({ firmware: build.elf, pins: [3, 4, 9, 10], startTimeoutMs: 20_000 });
    host = await RawHost.open(board.ptyPath);
    await host.hello();
    await request(host, { type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    await request(host, { type: "SET", vib: 500, rot: -400 });
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 10 && e.value > 90, 5_000);
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 3 && e.value > 110, 5_000);
    expect(board.duty(9)).toBe(0);
    expect(board.level(4)).toBe(1);
    for (const pin of [3, 10]) {
      const waveform = await board.measure(pin, 20);
      expect(waveform.periodNs, `D${pin}`).toBe(1e9 / PWM_HZ);
    }
    await request(host, { type: "ESTOP" });
    await board.waitFor((e) => e.kind === "pin" && e.pin === 4 && e.value === 0, 2_000);
  });

  it("drives STBY low on STOP, ESTOP, the silence watchdog and the hardware watchdog", {
    timeout: 90_000,
  }, async () => {
    const { board, host } = await running();
    // Waits, not timing assertions: long, as a loaded machine may run the host and the paced board late.
    const stbyLowAfter = (mark: number, timeoutMs = 10_000) =>
      board.waitFor((e) => e.kind === "pin" && e.pin === PIN.standby && e.value === 0, timeoutMs, mark);
    const stbyHighAfter = (mark: number) =>
      board.waitFor((e) => e.kind === "pin" && e.pin === PIN.standby && e.value === 1, 10_000, mark);

    // STOP: STBY drops when the ramp reaches zero, not before the PWMs do.
    let mark = board.events.length;
    await request(host, { type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    await request(host, { type: "SET", vib: 500, rot: 400 });
    await stbyHighAfter(mark);
    await board.waitFor((e) => e.kind === "pwm" && e.pin === PIN.vibration && e.value === dutyOf(500), 3_000, mark);
    mark = board.events.length;
    await request(host, { type: "STOP" });
    const stopped = await stbyLowAfter(mark);
    const pwmAtStop = board.events
      .slice(mark)
      .filter((e) => e.kind === "pwm" && e.timeUs < stopped.timeUs && e.value > 0 && e.pin === PIN.vibration);
    expect(pwmAtStop.length).toBeGreaterThan(5); // it ramped down first, with STBY high
    expect(board.duty(PIN.vibration)).toBe(0);
    expect(board.duty(PIN.rotation)).toBe(0);

    // ESTOP: STBY low at once.
    mark = board.events.length;
    await request(host, { type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    await request(host, { type: "SET", vib: 800, rot: 0 });
    await stbyHighAfter(mark);
    mark = board.events.length;
    await request(host, { type: "ESTOP" });
    await stbyLowAfter(mark);

    // The silence watchdog: no frame for its period (1000 ms of the firmware's millis(), which
    // Timer0 still keeps: the watchdog fires after about a second of simulation time).
    mark = board.events.length;
    await request(host, { type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    await request(host, { type: "SET", vib: 700, rot: -200 });
    // STBY rises in the tick after the SET (the last frame) arrives: the period is timed from it, in
    // simulation time, so how late this host runs on a loaded machine does not count.
    const on = await stbyHighAfter(mark);
    mark = board.events.length;
    const watchdog = await stbyLowAfter(mark, 15_000);
    expect(watchdog.timeUs - on.timeUs).toBeGreaterThan(997_000);
    expect(watchdog.timeUs - on.timeUs).toBeLessThan(1_003_000);

    // The hardware watchdog: the firmware hangs with STBY high; after the reset the pin is an input
    // (the pull-down holds it low), then setup() drives it LOW.
    await host.hello();
    mark = board.events.length;
    await request(host, { type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    await request(host, { type: "SET", vib: 700, rot: 300 });
    await stbyHighAfter(mark);
    if (!firmware.ok) return;
    const hang = await board.hang(await findSelfLoop(firmware.value));
    expect(board.level(PIN.standby)).toBe(1); // hung with the motors on: only the chip's watchdog helps
    const reset = await board.waitFor((e) => e.kind === "reset" && e.cause === "watchdog", 10_000);
    expect(reset.timeUs - hang.timeUs).toBeLessThan(400_000);
    const low = await stbyLowAfter(board.events.indexOf(reset));
    expect(low.timeUs - reset.timeUs).toBeLessThan(5_000);
  });
});
