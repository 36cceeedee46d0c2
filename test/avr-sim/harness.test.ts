import { join } from "node:path";
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { findSelfLoop } from "../../device/avr-sim/self-loop.ts";
import { buildSketch, toolchainAvailable } from "../support/avr-toolchain.ts";
import { until } from "../support/wait.ts";

const SKETCH = join(import.meta.dirname, "fixtures", "echo-pwm.c");

/** Opens the board's pty as a serial port and collects what the sketch sends back. */
async function openPort(board: EmulatedBoard): Promise<{ port: SerialPort; received: () => string }> {
  const port = new SerialPort({ path: board.ptyPath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let text = "";
  port.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
  });
  return { port, received: () => text };
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

describe.runIf(toolchainAvailable())("the simavr harness (emulated Uno)", () => {
  let board: EmulatedBoard | undefined;
  let port: SerialPort | undefined;

  afterEach(async () => {
    if (port) await closePort(port);
    await board?.stop();
    port = undefined;
    board = undefined;
  });

  it("echoes UART bytes on its pty and reports the PWM duty and pin levels in simulation time", async () => {
    board = await startEmulatedBoard({ firmware: await buildSketch(SKETCH) });
    expect(board.ptyPath).toMatch(/^\/dev\/pts\/\d+$/);
    expect(board.duty(6)).toBe(0);
    expect(board.level(7)).toBe(0);
    const serial = await openPort(board);
    port = serial.port;

    const since = board.events.length;
    port.write("4");
    await until(() => serial.received().includes("4"), 10_000);
    const duty = await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value !== 0, 10_000, since);
    expect(duty).toMatchObject({ kind: "pwm", pin: 6, value: 100 });
    const direction = await board.waitFor((e) => e.kind === "pin" && e.pin === 7 && e.value === 1, 10_000, since);
    expect(direction.timeUs).toBeGreaterThanOrEqual(duty.timeUs);
    expect(direction.timeUs - duty.timeUs).toBeLessThan(50);

    // Compare output off and the port high: the effective output is full on, as analogWrite(255) gives.
    port.write("h");
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 255, 10_000, since);
    port.write("l");
    await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 0, 10_000, since);
    await until(() => serial.received() === "4hl", 10_000);
  });

  it("paces the simulation to real time by default and runs unpaced with fast", async () => {
    // A sleeping MCU costs the simulator almost nothing, so only the pacing holds simulation time back.
    const sleepingBoard = async (fast: boolean): Promise<number> => {
      board = await startEmulatedBoard({ firmware: await buildSketch(SKETCH), fast, pins: [6] });
      const serial = await openPort(board);
      port = serial.port;
      port.write("s");
      await until(() => serial.received() === "s", 10_000);
      const t0 = await board.simTimeUs();
      const wall0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ratio = ((await board.simTimeUs()) - t0) / 1000 / (performance.now() - wall0);
      await closePort(port);
      await board.stop();
      return ratio;
    };
    const paced = await sleepingBoard(false);
    // Pacing is real time by nature. Never ahead of the wall clock is the claim; behind it is only
    // what a starved harness does on a loaded machine (it skips the lost time rather than burst), so
    // the lower bound just shows it runs.
    expect(paced).toBeGreaterThan(0.3);
    expect(paced).toBeLessThan(1.1);
    expect(await sleepingBoard(true)).toBeGreaterThan(5);
  });

  it("holds the simulated clock while this process is stalled, so a stall is not host silence", async () => {
    board = await startEmulatedBoard({ firmware: await buildSketch(SKETCH), pins: [6] });
    const serial = await openPort(board);
    port = serial.port;
    port.write("s");
    await until(() => serial.received() === "s", 10_000);
    // A stalled event loop: this process runs nothing, not even the board's ticks, for 1.5 s.
    const t0 = await board.simTimeUs();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_500);
    const stalledMs = ((await board.simTimeUs()) - t0) / 1000;
    // The harness holds 200 ms after the last tick; with the round trips of the two time queries.
    expect(stalledMs).toBeLessThan(700);
    // And it runs again once this process does: the same wait, on a free loop.
    const t1 = await board.simTimeUs();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(((await board.simTimeUs()) - t1) / 1000).toBeGreaterThan(stalledMs + 300);
  });

  it("resets the MCU on the reset command and through its own watchdog, with monotonic time", async () => {
    board = await startEmulatedBoard({ firmware: await buildSketch(SKETCH), pins: [6, 7] });
    const serial = await openPort(board);
    port = serial.port;
    port.write("9r");
    await until(() => serial.received() === "9r01", 10_000); // booted on power-on: MCUSR = PORF
    expect(board.duty(6)).toBe(225);

    const before = board.events.length;
    board.reset();
    const reset = await board.waitFor((e) => e.kind === "reset", 10_000, before);
    expect(reset).toMatchObject({ cause: "external" });
    const off = await board.waitFor((e) => e.kind === "pwm" && e.pin === 6 && e.value === 0, 10_000, before);
    expect(off.timeUs).toBe(reset.timeUs);
    port.write("r");
    await until(() => serial.received() === "9r01r02", 10_000); // EXTRF

    const beforeHang = board.events.length;
    port.write("w");
    const watchdog = await board.waitFor((e) => e.kind === "reset", 10_000, beforeHang);
    expect(watchdog).toMatchObject({ cause: "watchdog" });
    expect(watchdog.timeUs).toBeGreaterThan(reset.timeUs);
    port.write("r");
    await until(() => serial.received().endsWith("wr08"), 10_000); // WDRF
  });

  it("hangs the firmware in a self-loop it already holds, and refuses an address that is not one", async () => {
    const elf = await buildSketch(SKETCH);
    board = await startEmulatedBoard({ firmware: elf, pins: [6] });
    const serial = await openPort(board);
    port = serial.port;
    port.write("7");
    await until(() => serial.received() === "7", 10_000);
    expect(board.duty(6)).toBe(175);

    // Address 0 holds the reset vector's jmp, not a loop: nothing changes and the sketch still echoes.
    await expect(board.hang(0)).rejects.toThrow(/not a self-loop/);
    port.write("8");
    await until(() => serial.received() === "78", 10_000);

    const loop = await findSelfLoop(elf);
    const hung = await board.hang(loop);
    expect(hung).toMatchObject({ kind: "hang", address: loop });
    expect(board.events.at(-1)).toEqual(hung);
    // The sketch no longer runs (no echo, no new duty); its timer still drives the PWM pin.
    port.write("3");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(serial.received()).toBe("78");
    expect(board.duty(6)).toBe(200);
    expect(board.events.at(-1)).toEqual(hung);
  });

  it("resets on open when asked to, as an Uno's DTR auto-reset does", async () => {
    board = await startEmulatedBoard({ firmware: await buildSketch(SKETCH), resetOnOpen: true, pins: [6] });
    expect(board.events.some((e) => e.kind === "reset")).toBe(false);
    port = (await openPort(board)).port;
    await board.waitFor((e) => e.kind === "reset" && e.cause === "external", 10_000);
  });

  it("fails with a clear error for a file that is not firmware", async () => {
    await expect(startEmulatedBoard({ firmware: SKETCH })).rejects.toThrow(/E510/);
  });
});
