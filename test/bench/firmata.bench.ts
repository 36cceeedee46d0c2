/**
 * Benchmark (prints numbers; asserts nothing): on the emulated Uno, in simulation time,
 *   - emergency-stop latency from the controller's emergencyStop() call to both motor PWM pins
 *     reading zero, on the johnny-five/Firmata path and on the project firmware (which the
 *     controller stops with the stop byte 0x18, then the ESTOP frame), and their ratio;
 *   - the same on the wire alone, from a bare host's write: the stop byte by itself against the
 *     12-byte ESTOP frame by itself (what the byte saves);
 *   - the time `flash` takes to write and verify the massager firmware through Optiboot.
 * The harness runs paced to real time; it also prints how fast simulation time ran against the
 * wall clock, since a loaded host slows the emulator and the numbers with it.
 */
import { join } from "node:path";
import { buildOptiboot } from "../../device/avr-sim/bootloaders.ts";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { Controller } from "../../device/controller/controller.ts";
import { FirmataTransport } from "../../device/firmata/firmata-transport.ts";
import { buildFirmware } from "../../device/firmware/tools/avr-build.ts";
import { BOARDS } from "../../device/flash/boards.ts";
import { chooseFirmware } from "../../device/flash/firmware-choice.ts";
import { flashFirmware } from "../../device/flash/flash.ts";
import { standardFirmataHex } from "../../device/flash/standard-firmata.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import type { Transport } from "../../device/transport/transport.ts";
import { compileSession } from "../../patterns/compiler.ts";
import { getPattern } from "../../patterns/library/index.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";
import { PIN, startMassagerBoard } from "../firmware/support/massager-board.ts";
import { RawHost } from "../firmware/support/raw-host.ts";
import type { BenchResult } from "./run.ts";

const TRIALS = 9;
const CACHE = join(import.meta.dirname, "..", "..", ".cache");

interface Latencies {
  samplesMs: number[];
  simPerWall: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Plays, waits for the motors to run, calls emergencyStop() and times both PWM pins reaching zero. */
async function estopLatencies(
  board: EmulatedBoard,
  transport: () => Transport,
  pwmPins: [number, number],
): Promise<Latencies> {
  const controller = new Controller({ transport, reconnect: false });
  const pattern = getPattern("scalp-circles");
  if (!pattern) throw new Error("the built-in pattern scalp-circles is missing");
  const samplesMs: number[] = [];
  const wall0 = performance.now();
  const sim0 = await board.simTimeUs();
  try {
    const info = await controller.connect();
    for (let trial = 0; trial < TRIALS; trial++) {
      const session = compileSession(pattern, {
        minutes: 2,
        intensity: 80,
        device: {
          maxBlocks: Math.max(3, info.maxBlocks),
          maxKeys: Math.max(4, info.maxKeys),
          vibrationCap: info.vibrationCap,
          rotationCap: info.rotationCap,
        },
      });
      await controller.play(session);
      const running = (): boolean => pwmPins.every((pin) => (board.duty(pin) ?? 0) > 0);
      for (let waited = 0; !running() && waited < 10_000; waited += 20) await sleep(20);
      if (!running()) throw new Error(`the motors did not start (duties ${pwmPins.map((p) => board.duty(p))})`);
      await sleep(300);
      const mark = board.events.length;
      const asked = board.simTimeUs();
      await controller.emergencyStop();
      const t0 = await asked;
      const offs = await Promise.all(
        pwmPins.map((pin) => board.waitFor((e) => e.kind === "pwm" && e.pin === pin && e.value === 0, 3_000, mark)),
      );
      samplesMs.push((Math.max(...offs.map((e) => e.timeUs)) - t0) / 1000);
      await controller.waitForEnd();
    }
  } finally {
    await controller.close();
  }
  const simPerWall = ((await board.simTimeUs()) - sim0) / 1000 / (performance.now() - wall0);
  return { samplesMs, simPerWall };
}

/** A bare host streams, then writes `what` (the stop byte alone, or the ESTOP frame alone): write to both PWM pins at zero. */
async function wireStopLatencies(board: EmulatedBoard, what: "byte" | "frame"): Promise<Latencies> {
  const host = await RawHost.open(board.ptyPath);
  const samplesMs: number[] = [];
  const wall0 = performance.now();
  const sim0 = await board.simTimeUs();
  try {
    await host.hello();
    for (let trial = 0; trial < TRIALS; trial++) {
      await host.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 });
      await host.send({ type: "SET", vib: 800, rot: 800 });
      const running = (): boolean => [PIN.vibration, PIN.rotation].every((pin) => (board.duty(pin) ?? 0) > 0);
      for (let waited = 0; !running() && waited < 10_000; waited += 20) await sleep(20);
      await sleep(50 + trial * 13); // land at different points of the loop and the PWM period
      const mark = board.events.length;
      const lines = host.lines.length;
      const asked = board.simTimeUs();
      const written =
        what === "byte" ? host.write(Buffer.from([STOP_BYTE])) : host.send({ type: "ESTOP" }).then(() => undefined);
      const t0 = await asked;
      await written;
      const offs = await Promise.all(
        [PIN.vibration, PIN.rotation].map((pin) =>
          board.waitFor((e) => e.kind === "pwm" && e.pin === pin && e.value === 0, 3_000, mark),
        ),
      );
      samplesMs.push((Math.max(...offs.map((e) => e.timeUs)) - t0) / 1000);
      await host.waitFor((line) => line.startsWith("ST IDLE ESTOP"), 5_000, lines);
    }
  } finally {
    await host.close();
  }
  const simPerWall = ((await board.simTimeUs()) - sim0) / 1000 / (performance.now() - wall0);
  return { samplesMs, simPerWall };
}

function report(label: string, result: Latencies): void {
  const s = result.samplesMs;
  process.stdout.write(
    `${label}: e-stop latency median ${median(s).toFixed(2)} ms, min ${Math.min(...s).toFixed(2)}, ` +
      `max ${Math.max(...s).toFixed(2)} (n=${s.length}, simulation time; sim/wall ${result.simPerWall.toFixed(2)})\n`,
  );
}

/** Runs the benchmark and prints its numbers. */
export default async function firmataBench(): Promise<BenchResult[]> {
  const firmware = await buildFirmware();

  const firmataBoard = await startEmulatedBoard({
    firmware: await standardFirmataHex("uno", CACHE),
    pins: [5, 9, 7, 8],
  });
  let firmata: Latencies;
  try {
    firmata = await estopLatencies(
      firmataBoard,
      () =>
        new FirmataTransport({
          path: firmataBoard.ptyPath,
          pins: { vibration: { pwm: 5 }, rotation: { pwm: 9, dir: 7, cdir: 8 } },
        }),
      [5, 9],
    );
  } finally {
    await firmataBoard.stop();
  }
  report("firmata (StandardFirmata + host bridge)", firmata);

  const firmwareBoard = await startMassagerBoard(firmware.elf);
  let own: Latencies;
  let byteAlone: Latencies;
  let frameAlone: Latencies;
  try {
    own = await estopLatencies(firmwareBoard, () => new SerialTransport({ path: firmwareBoard.ptyPath }), [
      PIN.vibration,
      PIN.rotation,
    ]);
    byteAlone = await wireStopLatencies(firmwareBoard, "byte");
    frameAlone = await wireStopLatencies(firmwareBoard, "frame");
  } finally {
    await firmwareBoard.stop();
  }
  report("massager firmware (controller: stop byte, then ESTOP)", own);
  report("massager firmware, the stop byte alone from a bare host", byteAlone);
  report("massager firmware, the ESTOP frame alone from a bare host", frameAlone);
  const ratio = median(firmata.samplesMs) / median(own.samplesMs);
  process.stdout.write(`e-stop latency ratio firmata / firmware (medians): ${ratio.toFixed(2)}\n`);
  const trials = `${TRIALS} trials each, simulation time`;
  const results: BenchResult[] = [
    {
      name: "e-stop, controller call to PWM zero, firmware (stop byte), median",
      value: median(own.samplesMs),
      unit: "ms",
      aim: "<= 1.0",
      note: trials,
    },
    {
      name: "e-stop, controller call to PWM zero, firmware (stop byte), max",
      value: Math.max(...own.samplesMs),
      unit: "ms",
    },
    { name: "e-stop, controller call to PWM zero, Firmata path, median", value: median(firmata.samplesMs), unit: "ms" },
    {
      name: "e-stop, controller call to PWM zero, Firmata path, max",
      value: Math.max(...firmata.samplesMs),
      unit: "ms",
    },
    { name: "e-stop ratio, Firmata / stop byte (medians)", value: ratio, unit: "x", aim: ">= 2" },
    { name: "wire alone: stop byte write to PWM zero, median", value: median(byteAlone.samplesMs), unit: "ms" },
    { name: "wire alone: ESTOP frame write to PWM zero, median", value: median(frameAlone.samplesMs), unit: "ms" },
  ];

  const optiboot = await buildOptiboot();
  const flashBoard = await startEmulatedBoard({ bootloader: optiboot, resetOnOpen: true, pins: [13] });
  try {
    const choice = await chooseFirmware("massager", "uno", { massagerHex: firmware.hex });
    const wall0 = performance.now();
    const result = await flashFirmware({ port: flashBoard.ptyPath, board: BOARDS.uno, image: choice.image });
    const totalMs = performance.now() - wall0;
    process.stdout.write(
      `flash massager firmware (${result.bytes} bytes, ${result.pages} pages, Optiboot 115200 baud, paced emulator): ` +
        `write ${(result.writeMs / 1000).toFixed(2)} s, verify ${(result.verifyMs / 1000).toFixed(2)} s, ` +
        `total with reset and sync ${(totalMs / 1000).toFixed(2)} s (wall)\n`,
    );
  } finally {
    await flashBoard.stop();
  }
  return results;
}
