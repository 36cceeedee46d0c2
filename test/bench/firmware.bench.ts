/**
 * Benchmark (prints numbers; asserts nothing): the project firmware (massager.elf) on the emulated
 * Uno, in simulation time, driven by the controller over serialport as a USB board would be:
 *   - playback timing error: when each motor pin reaches each duty, against the program (the
 *     simulator's reference for the same upload), aligned at the first motion;
 *   - emergency-stop latency: the controller's emergencyStop() call to both PWM pins at zero
 *     (the controller writes the stop byte 0x18 first, then the ESTOP frame);
 *   - live intensity: the controller's setIntensity() call (GAIN) to the vibration pin's first
 *     change, and to its new duty (the ramp the slew limit sets);
 *   - watchdog trip time: the host's last frame to both PWM pins at zero;
 *   - hardware watchdog: the firmware hung (the harness moves its program counter into avr-libc's
 *     own end-of-program loop) to both PWM pins at zero, by the chip's watchdog reset;
 *   - upload time of a 10-minute routine at 115200 baud, to the device playing it;
 *   - flash and RAM use.
 * The harness is paced to real time; a loaded host slows it, so it also prints the ratio.
 */
import { findSelfLoop } from "../../device/avr-sim/self-loop.ts";
import { Controller } from "../../device/controller/controller.ts";
import { buildFirmware, CHIP_FLASH_BYTES, CHIP_RAM_BYTES } from "../../device/firmware/tools/avr-build.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import { compileSession, getPattern, getRoutine } from "../../patterns/index.ts";
import { playedProgram } from "../../protocol/session.ts";
import { wireSize } from "../../protocol/upload.ts";
import { dutyOf, motorTimeline, PIN, startMassagerBoard } from "../firmware/support/massager-board.ts";
import { comparePlayback, percentile, referenceTimeline } from "../firmware/support/playback-compare.ts";
import { RawHost } from "../firmware/support/raw-host.ts";
import { sessionOf } from "../support/sessions.ts";
import type { BenchResult } from "./run.ts";

const ESTOP_TRIALS = 10;
const WATCHDOG_TRIALS = 3;
const HANG_TRIALS = 5;

const INTENSITY_TRIALS = 8;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export default async function firmwareBench(): Promise<BenchResult[]> {
  const build = await buildFirmware();
  const results: BenchResult[] = [
    {
      name: "flash used",
      value: build.flashBytes,
      unit: "bytes",
      aim: `< ${CHIP_FLASH_BYTES / 2}`,
      note: `of ${CHIP_FLASH_BYTES}`,
    },
    {
      name: "RAM used (static, before the stack)",
      value: build.ramBytes,
      unit: "bytes",
      aim: `< ${CHIP_RAM_BYTES / 2}`,
      note: `of ${CHIP_RAM_BYTES}`,
    },
  ];
  const board = await startMassagerBoard(build.elf);
  const wall0 = performance.now();
  const sim0 = await board.simTimeUs();
  const controller = new Controller({
    transport: () => new SerialTransport({ path: board.ptyPath }),
    reconnect: false,
  });
  try {
    const info = await controller.connect();
    const device = { maxBlocks: info.maxBlocks, maxKeys: info.maxKeys, vibrationCap: 1, rotationCap: 1 };

    // Playback timing: a compiled pattern with reversals, 20 s.
    const pattern = getPattern("scalp-circles");
    if (pattern === undefined) throw new Error("the built-in pattern scalp-circles is missing");
    const session = compileSession(pattern, { minutes: 20 / 60, intensity: 90, device });
    const since = board.events.length;
    await controller.play(session);
    await controller.waitForEnd();
    const reference = await referenceTimeline(
      playedProgram(session),
      { vibCap: Math.round(session.caps.vibration * 1000), rotCap: Math.round(session.caps.rotation * 1000) },
      session.durationMs + 1000,
    );
    const playback = comparePlayback(motorTimeline(board.events, since), reference, session.durationMs + 400, 1);
    results.push(
      { name: "playback timing error, p50", value: percentile(playback.timingErrorsMs, 50), unit: "ms", aim: "< 1" },
      { name: "playback timing error, p99", value: percentile(playback.timingErrorsMs, 99), unit: "ms", aim: "< 1" },
      { name: "playback timing error, max", value: Math.max(...playback.timingErrorsMs), unit: "ms" },
      {
        name: "playback duty error, max (0..255)",
        value: playback.maxDutyError,
        unit: "duty",
        note: `${playback.timingErrorsMs.length} duty changes matched, ${playback.unmatched} stepped over`,
      },
    );

    // Emergency stop: steady full-ish levels, then the controller's call.
    const latencies: number[] = [];
    const steady = compileSession(pattern, { minutes: 1, intensity: 90, device });
    for (let trial = 0; trial < ESTOP_TRIALS; trial++) {
      await controller.play(steady);
      for (
        let waited = 0;
        waited < 5000 && !((board.duty(PIN.vibration) ?? 0) > 0 && (board.duty(PIN.rotation) ?? 0) > 0);
        waited += 20
      ) {
        await sleep(20);
      }
      await sleep(200 + trial * 37); // land at different points of the PWM and tick phases
      const mark = board.events.length;
      const asked = board.simTimeUs();
      await controller.emergencyStop();
      const calledUs = await asked;
      const offs = await Promise.all(
        [PIN.vibration, PIN.rotation].map((pin) =>
          board.waitFor((e) => e.kind === "pwm" && e.pin === pin && e.value === 0, 3000, mark),
        ),
      );
      latencies.push((Math.max(...offs.map((e) => e.timeUs)) - calledUs) / 1000);
      await controller.waitForEnd();
    }
    results.push(
      { name: "emergency stop, controller call to PWM zero, p50", value: percentile(latencies, 50), unit: "ms" },
      {
        name: "emergency stop, controller call to PWM zero, max",
        value: Math.max(...latencies),
        unit: "ms",
        note: `${ESTOP_TRIALS} trials`,
      },
    );

    // Live intensity (GAIN): a held level, then setIntensity() between 100 % and 50 %.
    if (info.gain) {
      const hold = {
        blocks: [{ durationMs: 120_000, step: 0, vib: [{ dtMs: 50, value: 600, ease: "step" as const }], rot: [] }],
      };
      await controller.play({ ...sessionOf(hold), intensityIn: "gain" });
      for (let waited = 0; waited < 5000 && board.duty(PIN.vibration) !== dutyOf(600); waited += 20) await sleep(20);
      const starts: number[] = [];
      const ramps: number[] = [];
      for (let trial = 0; trial < INTENSITY_TRIALS; trial++) {
        const percent = trial % 2 === 0 ? 50 : 100;
        const from = board.duty(PIN.vibration);
        const to = dutyOf(percent === 50 ? 300 : 600);
        await sleep(100 + trial * 23);
        const mark = board.events.length;
        const asked = board.simTimeUs();
        await controller.setIntensity(percent);
        const calledUs = await asked;
        const first = await board.waitFor(
          (e) => e.kind === "pwm" && e.pin === PIN.vibration && e.value !== from,
          3000,
          mark,
        );
        const settled = await board.waitFor(
          (e) => e.kind === "pwm" && e.pin === PIN.vibration && e.value === to,
          3000,
          mark,
        );
        starts.push((first.timeUs - calledUs) / 1000);
        ramps.push((settled.timeUs - first.timeUs) / 1000);
      }
      await controller.emergencyStop();
      await controller.waitForEnd();
      results.push(
        {
          name: "live intensity, setIntensity() to first PWM change, p50",
          value: percentile(starts, 50),
          unit: "ms",
          aim: "< 10",
          note: `max ${Math.max(...starts).toFixed(3)} ms, ${INTENSITY_TRIALS} trials, simulation time`,
        },
        {
          name: "live intensity, ramp 600 → 300 (or back) on the pin, median",
          value: percentile(ramps, 50),
          unit: "ms",
          aim: "≈ 120 (slew limit: full scale in 400 ms)",
          note: `min ${Math.min(...ramps).toFixed(1)}, max ${Math.max(...ramps).toFixed(1)} ms`,
        },
      );
    }

    // Upload of a 10-minute routine, to the device playing it.
    const routine = getRoutine("daily-hair-care");
    if (routine === undefined) throw new Error("the built-in routine daily-hair-care is missing");
    const tenMinutes = compileSession(routine, { minutes: 10, intensity: 70, device });
    const bytes = tenMinutes.chunks.reduce((sum, chunk) => sum + wireSize(chunk), 0);
    const uploadSim0 = await board.simTimeUs();
    await controller.play(tenMinutes);
    const uploadSim1 = await board.simTimeUs();
    await controller.emergencyStop();
    await controller.waitForEnd();
    results.push({
      name: "upload of a 10-minute routine to playing (115200 baud)",
      value: (uploadSim1 - uploadSim0) / 1000,
      unit: "ms",
      note: `${bytes} bytes in ${tenMinutes.chunks.length} chunk(s); the bytes alone take ${((bytes * 10 * 1000) / 115_200).toFixed(0)} ms on the wire`,
    });
    await controller.close();

    // Watchdog: a bare host streams, then falls silent.
    const trips: number[] = [];
    const host = await RawHost.open(board.ptyPath);
    try {
      await host.hello();
      for (let trial = 0; trial < WATCHDOG_TRIALS; trial++) {
        await host.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
        const mark = board.events.length;
        await host.send({ type: "SET", vib: 800, rot: 800 });
        // The first ramp step comes in the millisecond after SET arrives: it marks the last frame.
        const first = await board.waitFor(
          (e) => e.kind === "pwm" && e.pin === PIN.vibration && e.value > 0,
          3000,
          mark,
        );
        const offs = await Promise.all(
          [PIN.vibration, PIN.rotation].map((pin) =>
            board.waitFor((e) => e.kind === "pwm" && e.pin === pin && e.value === 0, 3000, mark),
          ),
        );
        trips.push((Math.max(...offs.map((e) => e.timeUs)) - first.timeUs) / 1000);
        await host.waitFor((line) => line.startsWith("ST IDLE WDOG"), 3000);
      }
    } finally {
      await host.close();
    }
    results.push({
      name: "watchdog trip, last frame to PWM zero, max",
      value: Math.max(...trips),
      unit: "ms",
      aim: "1000 + a tick",
      note: `${WATCHDOG_TRIALS} trials, from the frame's first ramp step (<= 1 ms after it arrived); full duty ${dutyOf(800)}`,
    });

    // Hardware watchdog: the firmware hangs mid-stream; the chip's watchdog resets it.
    const selfLoop = await findSelfLoop(build.elf);
    const hangs: number[] = [];
    const hangHost = await RawHost.open(board.ptyPath);
    try {
      for (let trial = 0; trial < HANG_TRIALS; trial++) {
        await hangHost.hello(); // after a reset too: the board has just booted
        await hangHost.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
        const mark = board.events.length;
        await hangHost.send({ type: "SET", vib: 800, rot: 800 });
        for (const pin of [PIN.vibration, PIN.rotation]) {
          await board.waitFor((e) => e.kind === "pwm" && e.pin === pin && e.value === dutyOf(800), 3000, mark);
        }
        await sleep(20 + trial * 23); // hang at different points of the loop and the tick
        const hung = await board.hang(selfLoop);
        const since = board.events.indexOf(hung);
        const offs = await Promise.all(
          [PIN.vibration, PIN.rotation].map((pin) =>
            board.waitFor((e) => e.kind === "pwm" && e.pin === pin && e.value === 0, 3000, since),
          ),
        );
        await board.waitFor((e) => e.kind === "reset" && e.cause === "watchdog", 3000, since);
        hangs.push((Math.max(...offs.map((e) => e.timeUs)) - hung.timeUs) / 1000);
      }
      await hangHost.hello();
    } finally {
      await hangHost.close();
    }
    results.push(
      {
        name: "hardware watchdog, firmware hang to PWM zero, max",
        value: Math.max(...hangs),
        unit: "ms",
        aim: "<= 256 (WDTO_250MS: 32768 cycles at 128 kHz)",
        note: `${HANG_TRIALS} trials; min ${Math.min(...hangs).toFixed(2)} ms`,
      },
      { name: "hardware watchdog, firmware hang to PWM zero, p50", value: percentile(hangs, 50), unit: "ms" },
    );
  } finally {
    await controller.close();
    const simPerWall = ((await board.simTimeUs().catch(() => sim0)) - sim0) / 1000 / (performance.now() - wall0);
    results.push({ name: "emulator speed (simulation / wall clock)", value: simPerWall, unit: "x" });
    await board.stop();
  }
  return results;
}
