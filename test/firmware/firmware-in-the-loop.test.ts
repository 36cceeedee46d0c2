/**
 * Firmware in the loop: the real massager.elf on an emulated Uno (simavr, device/avr-sim), its UART
 * on a pseudo-terminal that the controller opens with serialport exactly as it opens a USB board.
 * Every assertion is on the motor pins themselves (PWM duty, direction pins), in simulation time,
 * or on the firmware's own reports (TM device time). One board for the whole file, paced to real time.
 *
 * On a loaded machine the host's side (the controller, serialport, the pty) is late by anything up
 * to seconds, and the paced emulator may fall behind the wall clock: so no timing assertion here
 * includes the host's latency, and the waits for an event are long (they cost nothing when it comes).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { findSelfLoop } from "../../device/avr-sim/self-loop.ts";
import { Controller } from "../../device/controller/controller.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import type { Transport } from "../../device/transport/transport.ts";
import { compileSession, getPattern } from "../../patterns/index.ts";
import { decode, type WireProgram } from "../../protocol/index.ts";
import { playedProgram } from "../../protocol/session.ts";
import { uploadFrames } from "../../protocol/upload.ts";
import { sessionOf } from "../support/sessions.ts";
import { until } from "../support/wait.ts";
import {
  bootTimeUs,
  directionConflict,
  dutyOf,
  firmware,
  largestRise,
  motorTimeline,
  PIN,
  type PinSample,
  rotationDutyAtDirectionChanges,
  sampleAt,
  slewExcess,
  startMassagerBoard,
} from "./support/massager-board.ts";
import { comparePlayback, percentile, referenceTimeline } from "./support/playback-compare.ts";
import { RawHost } from "./support/raw-host.ts";
import { UnpluggableTransport } from "./support/unpluggable.ts";

/** A session around one program, holding the levels steady (caps 1.0). */

/** The slew limit on the pins: full scale (255) per slewMs (400 ms), in duty steps per ms. */
const SLEW_DUTY_PER_MS = 255 / 400;
/** Duty steps a ramp may run ahead of that line (rounding, budget carry, tick jitter); a jump is dozens. */
const SLEW_SLACK = 3;
/** WDTO_250MS, as massager.ino arms it: 32768 cycles of the chip's 128 kHz watchdog oscillator. */
const HARDWARE_WATCHDOG_MS = 256;
/** How long to wait for something the board or the firmware will do (real time; see the header). */
const WAIT_MS = 15_000;

/** The TM frames among a host's lines: device time and the levels the device says it applied. */
function telemetryOf(lines: readonly string[]): Array<{ tMs: number; vib: number; rot: number }> {
  const frames: Array<{ tMs: number; vib: number; rot: number }> = [];
  for (const line of lines) {
    const result = decode(line);
    if (result.kind === "message" && result.message.type === "TM") frames.push(result.message);
  }
  return frames;
}

/** The pins' levels as duties, signed by direction, from a level pair in permille. */
const pinsFor = (vib: number, rot: number): Pick<PinSample, "vib" | "rot"> => ({
  vib: dutyOf(vib),
  rot: Math.sign(rot) * dutyOf(rot) || 0,
});

const steady = (ms: number, vib: number, rot: number): WireProgram => ({
  blocks: [
    {
      durationMs: ms,
      step: 0,
      vib: [{ dtMs: Math.min(ms, 65_535), value: vib, ease: "step" }],
      rot: [{ dtMs: Math.min(ms, 65_535), value: rot, ease: "step" }],
    },
  ],
});

describe.skipIf(!firmware.ok)("the massager firmware on an emulated Uno", () => {
  let board: EmulatedBoard;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    if (!firmware.ok) return;
    board = await startMassagerBoard(firmware.value);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    // Each test starts from rest: whatever it left running, the next handshake's ESTOP stops.
  });

  afterAll(async () => {
    await board?.stop();
  });

  function controllerOn(options: { reconnect?: boolean } = {}): { controller: Controller; transports: Transport[] } {
    const transports: Transport[] = [];
    const controller = new Controller({
      transport: () => {
        const transport = new SerialTransport({ path: board.ptyPath });
        transports.push(transport);
        return transport;
      },
      reconnect: options.reconnect ?? false,
    });
    cleanups.push(() => controller.close());
    return { controller, transports };
  }

  async function rawHost(): Promise<RawHost> {
    const host = await RawHost.open(board.ptyPath);
    cleanups.push(async () => {
      await host.send({ type: "ESTOP" }).catch(() => {});
      await host.close();
    });
    await host.hello();
    return host;
  }

  const waitForDuty = (pin: number, match: (duty: number) => boolean, since: number, timeoutMs = WAIT_MS) =>
    board.waitFor((event) => event.kind === "pwm" && event.pin === pin && match(event.value), timeoutMs, since);
  /**
   * The first step of a ramp from rest: STBY rises with the first non-zero output. (The PWM duty
   * the harness reports, scaled to 0..255, only leaves 0 a tick or two later.)
   */
  const outputsOn = (since: number) =>
    board.waitFor((event) => event.kind === "pin" && event.pin === PIN.standby && event.value === 1, WAIT_MS, since);

  it("handshakes with the controller over serialport and reports its capabilities", { timeout: 30_000 }, async () => {
    const { controller } = controllerOn();
    const info = await controller.connect();
    expect(info).toMatchObject({
      protocol: 1,
      firmware: "1.1.0",
      stopByte: true,
      gain: true,
      vibration: true,
      rotation: true,
      program: true,
      stream: true,
      pwmBits: 8,
      maxBlocks: 16,
      maxKeys: 96,
      watchdogMs: 1000,
      maxSessionS: 3600,
      slewMs: 400,
    });
  });

  it("plays a program on its own clock: the pins follow it, through a reversal", { timeout: 30_000 }, async () => {
    const pattern = getPattern("scalp-circles");
    if (pattern === undefined) throw new Error("the built-in pattern scalp-circles is missing");
    const session = compileSession(pattern, { minutes: 0.05, intensity: 80 });
    const { controller } = controllerOn();
    await controller.connect();
    const since = board.events.length;
    await controller.play(session);
    const end = await controller.waitForEnd();
    expect(end).toMatchObject({ completed: true, reason: "DONE" });

    const pins = motorTimeline(board.events, since);
    const reference = await referenceTimeline(
      playedProgram(session),
      { vibCap: Math.round(session.caps.vibration * 1000), rotCap: Math.round(session.caps.rotation * 1000) },
      session.durationMs + 1000,
    );
    const comparison = comparePlayback(pins, reference, session.durationMs + 400);
    expect(comparison.maxDutyError).toBeLessThanOrEqual(2);
    expect(comparison.timingErrorsMs.length).toBeGreaterThan(100);
    expect(percentile(comparison.timingErrorsMs, 99)).toBeLessThanOrEqual(1);
    expect(comparison.unmatched).toBeLessThan(comparison.timingErrorsMs.length / 10);
    // The rotation reverses, through zero, with both direction pins never on together.
    expect(pins.some((sample) => sample.rot > 0)).toBe(true);
    expect(pins.some((sample) => sample.rot < 0)).toBe(true);
    expect(directionConflict(board.events.slice(since))).toBe(false);
    // Ramps, never jumps: at 2.5 permille per ms a duty rises by about 0.64 per ms.
    expect(largestRise(board.events.slice(since), PIN.vibration)).toBeLessThanOrEqual(2);
    expect(largestRise(board.events.slice(since), PIN.rotation)).toBeLessThanOrEqual(2);
    expect(pins.at(-1)).toMatchObject({ vib: 0, rot: 0 });
  });

  it("stops the motors on emergency stop within milliseconds of the controller's call", {
    timeout: 30_000,
  }, async () => {
    const { controller, transports } = controllerOn();
    await controller.connect();
    const lines: string[] = [];
    transports[0]?.on("line", (line) => lines.push(line));
    const since = board.events.length;
    await controller.play(sessionOf(steady(20_000, 900, -700)));
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(900), since);
    await waitForDuty(PIN.rotation, (duty) => duty === dutyOf(700), since);
    const mark = board.events.length;
    const heard = lines.length;
    const calledUs = await board.simTimeUs();
    await controller.emergencyStop();
    const vibOff = await waitForDuty(PIN.vibration, (duty) => duty === 0, mark);
    const rotOff = await waitForDuty(PIN.rotation, (duty) => duty === 0, mark);
    // A cut, not a ramp: from full level straight to zero.
    const ramp = board.events.slice(mark).filter((e) => e.kind === "pwm" && e.value !== 0 && e.timeUs <= vibOff.timeUs);
    expect(ramp).toEqual([]);
    // The firmware's side, in simulation time: the pins are cut when it handles the stop, which its
    // last TM dates (sent on entering IDLE, stamped with its last tick: whole milliseconds, so the
    // cut is up to a tick and a frame's reading either side of it).
    await until(() => telemetryOf(lines.slice(heard)).some((frame) => frame.vib === 0 && frame.rot === 0), WAIT_MS);
    const atRest = telemetryOf(lines.slice(heard)).find((frame) => frame.vib === 0 && frame.rot === 0);
    const handledUs = bootTimeUs(board.events, mark) + (atRest?.tMs ?? Number.NaN) * 1000;
    expect(Math.abs(Math.max(vibOff.timeUs, rotOff.timeUs) - handledUs)).toBeLessThanOrEqual(3000);
    // The whole path from the call (controller, serialport, pty) is the host's, in real time: on a
    // loaded machine that is not milliseconds, so this bound only catches a stop that never hurried.
    const latencyMs = (Math.max(vibOff.timeUs, rotOff.timeUs) - calledUs) / 1000;
    expect(latencyMs).toBeLessThan(1000);
    expect(board.level(PIN.clockwise)).toBe(0);
    expect(board.level(PIN.counterClockwise)).toBe(0);
  });

  it("cuts the motors when the host falls silent, one watchdog period after its last frame", {
    timeout: 30_000,
  }, async () => {
    const host = await rawHost();
    await host.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    const since = board.events.length;
    await host.send({ type: "SET", vib: 800, rot: -600 }); // the last frame
    const rampStart = await outputsOn(since);
    await waitForDuty(PIN.rotation, (duty) => duty === dutyOf(600), since);
    const off = await waitForDuty(PIN.vibration, (duty) => duty === 0, since);
    const rotOff = await waitForDuty(PIN.rotation, (duty) => duty === 0, since);
    // The ramp starts in the millisecond after SET arrives; the watchdog trips 1000 ms after it arrived.
    const tripMs = (off.timeUs - rampStart.timeUs) / 1000;
    expect(tripMs).toBeGreaterThanOrEqual(997);
    expect(tripMs).toBeLessThanOrEqual(1003);
    expect(Math.abs(rotOff.timeUs - off.timeUs)).toBeLessThan(1000);
    await host.waitFor((line) => line.startsWith("ST IDLE WDOG"));
  });

  it("ends the session at its limit with a ramp, however often the host pings", { timeout: 30_000 }, async () => {
    const host = await rawHost();
    for (const frame of uploadFrames(steady(10_000, 500, 0))) {
      const seq = await host.send(frame);
      await host.waitFor((line) => line.startsWith(`OK ${seq}*`));
    }
    const since = board.events.length;
    await host.send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 1 });
    const rampUp = await outputsOn(since);
    const pinger = setInterval(() => void host.send({ type: "PING" }).catch(() => {}), 200);
    try {
      await host.waitFor((line) => line.startsWith("ST IDLE LIMIT"), WAIT_MS);
    } finally {
      clearInterval(pinger);
    }
    const pins = motorTimeline(board.events, since);
    const peak = pins.filter((sample) => sample.vib === dutyOf(500));
    const rampDownUs = pins.find(
      (sample) => sample.timeUs > (peak[0]?.timeUs ?? 0) && sample.vib < dutyOf(500),
    )?.timeUs;
    const zeroUs = pins.find((sample) => sample.timeUs > (rampDownUs ?? 0) && sample.vib === 0)?.timeUs;
    if (rampDownUs === undefined || zeroUs === undefined) throw new Error("the pins never ramped down");
    // The limit strikes 1 s after START; 500 permille at 2.5 per ms takes 200 ms to ramp away.
    expect((rampDownUs - rampUp.timeUs) / 1000).toBeGreaterThanOrEqual(997);
    expect((rampDownUs - rampUp.timeUs) / 1000).toBeLessThanOrEqual(1004);
    expect((zeroUs - rampDownUs) / 1000).toBeGreaterThan(190);
    expect((zeroUs - rampDownUs) / 1000).toBeLessThan(206);
  });

  it("survives a lost host (watchdog) and accepts a new one", { timeout: 40_000 }, async () => {
    const first = controllerOn();
    await first.controller.connect();
    const since = board.events.length;
    await first.controller.play(sessionOf(steady(20_000, 700, 500)));
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(700), since);
    // The cable is pulled: the host's port closes without a word to the device.
    const mark = board.events.length;
    await first.transports[0]?.close();
    // Read after the close: every byte the host wrote is then in the pty, and the harness reads
    // the pty before it answers (a frame still in flight would otherwise count host latency).
    const pulledUs = await board.simTimeUs();
    const off = await waitForDuty(PIN.vibration, (duty) => duty === 0, mark);
    expect((off.timeUs - pulledUs) / 1000).toBeLessThanOrEqual(1000 + 5);
    await first.controller.close();

    const second = controllerOn();
    const info = await second.controller.connect();
    expect(info.firmware).toBe("1.1.0");
    const again = board.events.length;
    await second.controller.play(sessionOf(steady(600, 400, -400)));
    expect(await second.controller.waitForEnd()).toMatchObject({ completed: true, reason: "DONE" });
    const pins = motorTimeline(board.events, again);
    expect(pins.some((sample) => sample.vib === dutyOf(400) && sample.rot === -dutyOf(400))).toBe(true);
    expect(pins.at(-1)).toMatchObject({ vib: 0, rot: 0 });
  });

  it("resumes with the controller after a pulled cable: stopped first, then ramped in again", {
    timeout: 40_000,
  }, async () => {
    const transports: UnpluggableTransport[] = [];
    const controller = new Controller({
      transport: () => {
        const transport = new UnpluggableTransport(new SerialTransport({ path: board.ptyPath }));
        transports.push(transport);
        return transport;
      },
      reconnect: true,
    });
    cleanups.push(() => controller.close());
    await controller.connect();
    const since = board.events.length;
    await controller.play(sessionOf(steady(2500, 700, 0)));
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(700), since);
    const mark = board.events.length;
    await transports[0]?.unplug();
    // The reconnection's handshake stops the device first (ESTOP), then the step starts again from zero.
    const stopped = await waitForDuty(PIN.vibration, (duty) => duty === 0, mark);
    const back = await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(700), mark);
    expect(back.timeUs).toBeGreaterThan(stopped.timeUs);
    expect(transports.length).toBe(2);
    expect(await controller.waitForEnd()).toMatchObject({ completed: true, reason: "DONE" });
    const resumed = motorTimeline(board.events, mark).filter((sample) => sample.timeUs > stopped.timeUs);
    // A ramp, not a jump: from zero to the level in steps no bigger than the slew limit allows.
    expect(resumed[0]?.vib).toBeLessThanOrEqual(2);
    expect(largestRise(board.events.slice(mark), PIN.vibration)).toBeLessThanOrEqual(2);
    expect(resumed.at(-1)).toMatchObject({ vib: 0, rot: 0 });
  });

  it("keeps answering through a stream of garbage, and no corrupted frame moves a motor", {
    timeout: 30_000,
  }, async () => {
    const host = await rawHost();
    const since = board.events.length;
    const replies = host.lines.length;
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const noise = Buffer.alloc(2048, 0);
    for (let i = 0; i < noise.length; i++) noise[i] = random() < 0.04 ? 10 : Math.floor(random() * 256);
    await host.write(noise);
    await host.write(
      [
        "\nSTREAM 90 1000 1000 60*00", // a checksum that does not match
        "SET 91 1000 1000*00",
        `START 92 1000 1000 60${"x".repeat(200)}`,
        "STREAM 93 1000 1000 60", // no checksum at all
        "SET 94 1000 1000*9Z",
        "",
      ].join("\n"),
    );
    const id = await host.hello();
    expect(id).toMatch(/^ID \d+ 1 1\.1\.0 /);
    const errors = host.lines.slice(replies).filter((line) => line.startsWith("ER "));
    expect(errors.length).toBeGreaterThan(5);
    expect(errors).toContain(errors.find((line) => line.startsWith("ER 0 100")));
    const moved = board.events
      .slice(since)
      .filter((event) => event.kind !== "reset" && "value" in event && event.value !== 0);
    expect(moved).toEqual([]);

    // Streaming, one corrupted frame is a fault: the outputs are cut at once.
    await host.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    const streaming = board.events.length;
    await host.send({ type: "SET", vib: 600, rot: 600 });
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(600), streaming);
    const mark = board.events.length;
    await host.write("SET 99 1000 1000*00\n");
    await waitForDuty(PIN.vibration, (duty) => duty === 0, mark);
    await host.waitFor((line) => line.startsWith("ST IDLE FAULT"));
    expect(board.events.slice(mark).filter((event) => "value" in event && event.value > dutyOf(600))).toEqual([]);
  });

  it("streams within its caps and its slew limit, reverses through a stop, and reports what the pins apply", {
    timeout: 30_000,
  }, async () => {
    const host = await rawHost();
    await host.send({ type: "TELEM", periodMs: 10 });
    await host.send({ type: "STREAM", vibCap: 600, rotCap: 500, limitS: 60 });
    const since = board.events.length;
    const lines = host.lines.length;
    await host.send({ type: "SET", vib: 1000, rot: 1000 }); // above both caps
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(600), since);
    await waitForDuty(PIN.rotation, (duty) => duty === dutyOf(500), since);
    const mark = board.events.length;
    await host.send({ type: "SET", vib: 100, rot: -1000 }); // a fall and a reversal
    // Keeps the stream's watchdog fed while this host waits for the pins, however late it wakes.
    const pinger = setInterval(() => void host.send({ type: "PING" }).catch(() => {}), 200);
    try {
      const reversed = board.events.indexOf(
        await board.waitFor((e) => e.kind === "pin" && e.pin === PIN.counterClockwise && e.value === 1, WAIT_MS, mark),
      );
      await waitForDuty(PIN.rotation, (duty) => duty === dutyOf(500), reversed);
    } finally {
      clearInterval(pinger);
    }
    await host.send({ type: "STOP" });
    await host.waitFor((line) => line.startsWith("ST IDLE HOST"), WAIT_MS, lines);
    await host.send({ type: "TELEM", periodMs: 50 });

    const events = board.events.slice(since);
    const pins = motorTimeline(board.events, since);
    // Caps: reached, never passed.
    expect(Math.max(...pins.map((sample) => sample.vib))).toBe(dutyOf(600));
    expect(Math.max(...pins.map((sample) => Math.abs(sample.rot)))).toBe(dutyOf(500));
    // Every change, up, down, across zero and the soft stop, is a ramp at the slew limit, and none is
    // slower than it needs to be. The slack: rounding to duty steps at both ends, the slew budget's
    // carry, and where in its millisecond a tick writes the pins (a frame being read delays it).
    expect(slewExcess(pins, "vib", SLEW_DUTY_PER_MS)).toBeLessThanOrEqual(SLEW_SLACK);
    expect(slewExcess(pins, "rot", SLEW_DUTY_PER_MS)).toBeLessThanOrEqual(SLEW_SLACK);
    expect(pins.at(-1)).toMatchObject({ vib: 0, rot: 0 });
    const firstAt = (match: (sample: PinSample) => boolean, after: number) =>
      pins.find((sample) => sample.timeUs > after && match(sample))?.timeUs ?? Number.NaN;
    // Each ramp is timed from its first step to its last, on the pins: when the level was reached
    // and when the next SET came are the host's business (late on a loaded machine), not the ramp's.
    const peakUs = firstAt((sample) => sample.vib === dutyOf(600) && sample.rot === dutyOf(500), 0);
    const fallFrom = firstAt((sample) => sample.vib < dutyOf(600), peakUs);
    const fallMs = (firstAt((sample) => sample.vib === dutyOf(100), fallFrom) - fallFrom) / 1000;
    expect(fallMs).toBeGreaterThanOrEqual(195); // 500 permille at 2.5 per ms: 200 ms, first step to last
    expect(fallMs).toBeLessThanOrEqual(205);
    const reverseFrom = firstAt((sample) => sample.rot < dutyOf(500), peakUs);
    const reverseMs = (firstAt((sample) => sample.rot === -dutyOf(500), reverseFrom) - reverseFrom) / 1000;
    expect(reverseMs).toBeGreaterThanOrEqual(395); // +500 to -500 permille: 400 ms
    expect(reverseMs).toBeLessThanOrEqual(405);
    // The reversal passes through zero, and the speed pin is low whenever a direction pin changes.
    expect(pins.some((sample) => sample.timeUs > reverseFrom && sample.rot === 0 && sample.vib > 0)).toBe(true);
    expect(rotationDutyAtDirectionChanges(events).length).toBeGreaterThanOrEqual(3);
    expect(rotationDutyAtDirectionChanges(events).every((duty) => duty === 0)).toBe(true);
    expect(directionConflict(events)).toBe(false);

    // Each TM's levels are on the pins at its device time (the board's clock counts from its boot;
    // the tick that applies a level runs within the millisecond after it).
    const bootUs = bootTimeUs(board.events, since);
    const telemetry = telemetryOf(host.lines.slice(lines));
    const mismatches = telemetry.filter((frame) => {
      const want = pinsFor(frame.vib, frame.rot);
      const fromUs = bootUs + frame.tMs * 1000;
      const held = [sampleAt(pins, fromUs), ...pins.filter((s) => s.timeUs > fromUs && s.timeUs <= fromUs + 2000)];
      return !held.some((sample) => sample.vib === want.vib && sample.rot === want.rot);
    });
    expect(telemetry.length).toBeGreaterThan(60);
    expect(telemetry.filter((frame) => frame.vib > 0 && frame.vib < 600).length).toBeGreaterThan(20);
    expect(mismatches).toEqual([]);
    expect(telemetry.every((frame) => frame.vib <= 600 && Math.abs(frame.rot) <= 500)).toBe(true);
  });

  it("pauses with a ramp, and counts paused time against the session limit: no resuming after it", {
    timeout: 30_000,
  }, async () => {
    const host = await rawHost();
    for (const frame of uploadFrames(steady(10_000, 600, -400))) {
      const seq = await host.send(frame);
      await host.waitFor((line) => line.startsWith(`OK ${seq}*`));
    }
    const since = board.events.length;
    const lines = host.lines.length;
    await host.send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 1 });
    const rampUp = await outputsOn(since);
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(600), since);
    const pausing = board.events.length;
    await host.send({ type: "PAUSE" });
    await waitForDuty(PIN.vibration, (duty) => duty === 0, pausing);
    await waitForDuty(PIN.rotation, (duty) => duty === 0, pausing);
    const pinger = setInterval(() => void host.send({ type: "PING" }).catch(() => {}), 200);
    let idle: string;
    try {
      idle = await host.waitFor((line) => line.startsWith("ST IDLE LIMIT"), WAIT_MS, lines);
    } finally {
      clearInterval(pinger);
    }
    const resumeSeq = await host.send({ type: "RESUME" });
    await host.waitFor((line) => line.startsWith(`ER ${resumeSeq} 200*`), WAIT_MS, lines);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const pins = motorTimeline(board.events, since);
    const paused = pins.filter((sample) => sample.timeUs >= (board.events[pausing]?.timeUs ?? 0));
    // A ramp down (600 permille at 2.5 per ms: 240 ms), not a cut; then nothing moves again.
    expect(paused.length).toBeGreaterThan(100);
    expect(slewExcess(pins, "vib", SLEW_DUTY_PER_MS)).toBeLessThanOrEqual(SLEW_SLACK);
    expect(slewExcess(pins, "rot", SLEW_DUTY_PER_MS)).toBeLessThanOrEqual(SLEW_SLACK);
    const zeroUs = paused.find((sample) => sample.vib === 0 && sample.rot === 0)?.timeUs ?? Number.NaN;
    expect(paused.filter((sample) => sample.timeUs > zeroUs)).toEqual([]);
    // The program stood still while paused, yet the session ended 1 s after START: its last TM, at
    // entering IDLE, is 1000 ms after the first ramp step (which came in START's millisecond).
    const position = Number(idle.split(" ")[4]?.split("*")[0]);
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThan(800);
    const last = telemetryOf(host.lines.slice(lines)).findLast((frame) => frame.vib === 0 && frame.rot === 0);
    if (last === undefined) throw new Error("no TM at rest after the limit");
    // (tMs counts whole ms from the firmware's clock start, a little after the reset: up to 2 ms early.
    // Time spent paused, had it not counted, would show as hundreds of ms over.)
    const limitMs = (bootTimeUs(board.events, since) + last.tMs * 1000 - rampUp.timeUs) / 1000;
    expect(limitMs).toBeGreaterThanOrEqual(995);
    expect(limitMs).toBeLessThanOrEqual(1003);
  });

  it("is not kept running by line noise: only valid frames feed the watchdog", { timeout: 30_000 }, async () => {
    const host = await rawHost();
    for (const frame of uploadFrames(steady(10_000, 500, 300))) {
      const seq = await host.send(frame);
      await host.waitFor((line) => line.startsWith(`OK ${seq}*`));
    }
    const since = board.events.length;
    const lines = host.lines.length;
    await host.send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 60 }); // the last valid frame
    const rampStart = await outputsOn(since);
    // While playing, damaged frames are only refused (not a fault), and they must not feed the watchdog.
    const noise = [
      "PING 50*00",
      "PING 51",
      "PING 52*ZZ",
      `PING 53 ${"9".repeat(120)}*00`,
      "\u00ff\u0001PING*",
      "PONG 54*00",
    ];
    let sent = 0;
    const noisy = setInterval(() => void host.write(`${noise[sent++ % noise.length]}\n`).catch(() => {}), 100);
    let off: Awaited<ReturnType<typeof waitForDuty>>;
    try {
      off = await waitForDuty(PIN.vibration, (duty) => duty === 0, since);
      await waitForDuty(PIN.rotation, (duty) => duty === 0, since);
    } finally {
      clearInterval(noisy);
    }
    const tripMs = (off.timeUs - rampStart.timeUs) / 1000;
    expect(tripMs).toBeGreaterThanOrEqual(997);
    expect(tripMs).toBeLessThanOrEqual(1003);
    await host.waitFor((line) => line.startsWith("ST IDLE WDOG"), WAIT_MS, lines);
    const refused = host.lines.slice(lines).filter((line) => line.startsWith("ER "));
    expect(refused.length).toBeGreaterThanOrEqual(6);
  });

  it("boots with its outputs off and says so, even when reset mid-session", { timeout: 30_000 }, async () => {
    const host = await rawHost();
    await host.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
    const since = board.events.length;
    await host.send({ type: "SET", vib: 1000, rot: 1000 });
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(1000), since);
    const mark = board.events.length;
    const lines = host.lines.length;
    board.reset();
    await waitForDuty(PIN.vibration, (duty) => duty === 0, mark);
    await waitForDuty(PIN.rotation, (duty) => duty === 0, mark);
    await host.waitFor((line) => line === "ST IDLE BOOT 0 0*FE", WAIT_MS, lines);
    expect(sampleAt(motorTimeline(board.events, mark), Number.MAX_SAFE_INTEGER)).toMatchObject({ vib: 0, rot: 0 });
  });

  it("is reset by the chip's own watchdog when the firmware hangs: motors off, the controller told, then it answers", {
    timeout: 30_000,
  }, async () => {
    // The production image, unchanged: the harness moves the PC into avr-libc's own end-of-program loop.
    if (!firmware.ok) throw new Error(firmware.reason);
    const selfLoop = await findSelfLoop(firmware.value);
    const { controller } = controllerOn();
    await controller.connect();
    const since = board.events.length;
    await controller.play(sessionOf(steady(20_000, 800, -600)));
    await waitForDuty(PIN.vibration, (duty) => duty === dutyOf(800), since);
    await waitForDuty(PIN.rotation, (duty) => duty === dutyOf(600), since);
    expect(board.level(PIN.counterClockwise)).toBe(1);
    const mark = board.events.length;
    const hung = await board.hang(selfLoop);
    const reset = await board.waitFor((e) => e.kind === "reset", WAIT_MS, mark);
    expect(reset).toMatchObject({ cause: "watchdog" });
    const hangMs = (reset.timeUs - hung.timeUs) / 1000;
    expect(hangMs).toBeGreaterThan(0);
    expect(hangMs).toBeLessThanOrEqual(HARDWARE_WATCHDOG_MS + 4);
    // Hung, the firmware changes nothing: the motors run on until the reset cuts them, at its instant.
    const resetIndex = board.events.indexOf(reset);
    expect(board.events.slice(board.events.indexOf(hung) + 1, resetIndex)).toEqual([]);
    expect(sampleAt(motorTimeline(board.events, since), hung.timeUs)).toMatchObject(pinsFor(800, -600));
    const atReset = motorTimeline(board.events, since).filter((sample) => sample.timeUs === reset.timeUs);
    expect(atReset).toEqual([{ timeUs: reset.timeUs, vib: 0, rot: 0 }]);
    expect(board.level(PIN.clockwise)).toBe(0);
    // The board boots saying ST IDLE BOOT, and the controller ends the session on it.
    expect(await controller.waitForEnd()).toMatchObject({ completed: false, reason: "BOOT" });
    await controller.close();

    // It answers a new host; nothing moved on the way.
    const host = await rawHost();
    expect(board.events.slice(resetIndex).filter((e) => "value" in e && e.value !== 0)).toEqual([]);
    // The watchdog is armed again after a watchdog reset: a second hang resets the board too.
    const again = board.events.length;
    const lines = host.lines.length;
    const second = await board.hang(selfLoop);
    const secondReset = await board.waitFor((e) => e.kind === "reset", WAIT_MS, again);
    expect((secondReset.timeUs - second.timeUs) / 1000).toBeLessThanOrEqual(HARDWARE_WATCHDOG_MS + 4);
    await host.waitFor((line) => line === "ST IDLE BOOT 0 0*FE", WAIT_MS, lines);
    // The firmware saw the cause too (here, with no bootloader: Optiboot clears MCUSR before it starts the sketch).
    await host.waitFor((line) => line === "# reset by the hardware watchdog", WAIT_MS, lines);
    expect(await host.hello()).toMatch(/^ID \d+ 1 1\.1\.0 /);
  });
});
