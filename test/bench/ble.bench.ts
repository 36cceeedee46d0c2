/**
 * The wire protocol over the emulated BLE stack (btvirt + bleno + noble on HCI UARTs),
 * beside the same figures over a serial pseudo-terminal (socat): PING→OK round trip,
 * emergency-stop latency (API call to the device's applied zero) and the upload of a
 * 10-minute routine (to START's OK). The device runs in this process on both paths, so the
 * two are measured the same way. btvirt's controllers pass packets at once: the BLE numbers
 * are the stacks' own cost, not a radio's connection intervals.
 */

import type { BlePeripheral } from "../../device/ble-peripheral/ble-peripheral.ts";
import { RealClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { serveSimulatorOverBle } from "../../device/simulator/ble-serve.ts";
import { hostOnPty } from "../../device/simulator/hosts.ts";
import { SimulatedDevice } from "../../device/simulator/simulated-device.ts";
import { BleTransport } from "../../device/transport/ble.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import type { Transport } from "../../device/transport/transport.ts";
import { compileSession } from "../../patterns/compiler.ts";
import { getRoutine } from "../../patterns/library/index.ts";
import { encode } from "../../protocol/codec.ts";
import type { WireProgram } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { uploadFrames } from "../../protocol/upload.ts";
import { type BleLab, startBleLab } from "../ble/support/ble-lab.ts";
import { sessionOf } from "../support/sessions.ts";
import type { BenchResult } from "./run.ts";

const ROUND_TRIPS = 200;
const STOPS = 50;
const UPLOADS = 5;
const WARM_UP = 10;

/** A device and a way to reach it: the transport factory and the device's applied outputs. */
interface Rig {
  label: string;
  device: SimulatedDevice;
  connect: () => Transport;
  close(): Promise<void>;
}

export default async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const serial = await serialRig();
  try {
    results.push(...(await measure(serial)));
  } finally {
    await serial.close();
  }
  for (const hm10 of [false, true]) {
    // A fresh btvirt per peripheral: bleno cannot be restarted on the same controller.
    const lab = await startBleLab(600_000);
    try {
      const ble = await bleRig(lab, hm10);
      try {
        results.push(...(await measure(ble)));
      } finally {
        await ble.close();
      }
    } finally {
      await lab.stop();
    }
  }
  return results;
}

async function serialRig(): Promise<Rig> {
  const host = await hostOnPty({ keepRecord: false });
  return {
    label: "serial pty",
    device: host.device,
    connect: () => new SerialTransport({ path: host.address }),
    close: () => host.close(),
  };
}

async function bleRig(lab: BleLab, hm10: boolean): Promise<Rig> {
  const device = new SimulatedDevice({ clock: new RealClock(), keepRecord: false }).start();
  const peripheral: BlePeripheral = await serveSimulatorOverBle({
    device,
    hci: { kind: "uart", port: lab.peripheralPort, baudRate: 1_000_000 },
    hm10,
    name: hm10 ? "BenchHM10" : "BenchNUS",
  });
  return {
    label: hm10 ? "BLE HM-10, MTU 23" : "BLE NUS, MTU 256",
    device,
    connect: () =>
      new BleTransport({
        hci: { kind: "uart", port: lab.centralPort, baudRate: 1_000_000 },
        target: hm10 ? "BenchHM10" : "BenchNUS",
      }),
    close: async () => {
      device.stop();
      // bleno's poll timer outlives stop(); the bench runner ends the process.
      peripheral.stop();
    },
  };
}

async function measure(rig: Rig): Promise<BenchResult[]> {
  const rtt = await roundTrips(rig);
  const stops = await emergencyStops(rig);
  const upload = await uploads(rig);
  return [
    {
      name: `PING→OK round trip, ${rig.label}, p50`,
      value: percentile(rtt, 50),
      unit: "ms",
      note: `p99 ${percentile(rtt, 99)} ms, n=${rtt.length}`,
    },
    {
      name: `emergency stop to applied zero, ${rig.label}, p50`,
      value: percentile(stops, 50),
      unit: "ms",
      note: `p99 ${percentile(stops, 99)} ms, n=${stops.length}`,
    },
    {
      name: `upload of a 10-minute routine, ${rig.label}, median`,
      value: percentile(upload.times, 50),
      unit: "ms",
      note: `${upload.frames} frames, n=${upload.times.length}`,
    },
  ];
}

async function roundTrips(rig: Rig): Promise<number[]> {
  const transport = rig.connect();
  await transport.open();
  let waiting: { seq: number; resolve: () => void } | undefined;
  transport.on("line", (line) => {
    if (waiting && line.startsWith(`OK ${waiting.seq}*`)) waiting.resolve();
  });
  const out: number[] = [];
  try {
    for (let seq = 1; seq <= ROUND_TRIPS + WARM_UP; seq++) {
      const replied = new Promise<void>((resolve) => {
        waiting = { seq, resolve };
      });
      const t0 = performance.now();
      await transport.send(encode({ type: "PING", seq }));
      await withTimeout(replied, 2000, `no OK to PING ${seq} over ${rig.label}`);
      if (seq > WARM_UP) out.push(performance.now() - t0);
    }
  } finally {
    await transport.close();
  }
  return out;
}

async function emergencyStops(rig: Rig): Promise<number[]> {
  const hold: WireProgram = {
    blocks: [{ durationMs: 60_000, step: 0, vib: [{ dtMs: 50, value: 600, ease: "step" }], rot: [] }],
  };
  const controller = new Controller({ transport: rig.connect });
  const out: number[] = [];
  try {
    await controller.connect();
    for (let i = 0; i < STOPS + 3; i++) {
      await controller.play(sessionOf(hold));
      await until(() => rig.device.recorder.current.vib > 0);
      await sleep(20);
      let zeroAt = 0;
      const off = rig.device.recorder.onChange((change) => {
        if (change.vib === 0 && zeroAt === 0) zeroAt = performance.now();
      });
      const calledAt = performance.now();
      void controller.emergencyStop();
      await until(() => zeroAt !== 0);
      off();
      if (i >= 3) out.push(zeroAt - calledAt);
      await controller.waitForEnd();
    }
  } finally {
    await controller.close();
  }
  return out;
}

async function uploads(rig: Rig): Promise<{ times: number[]; frames: number }> {
  const session = routine(10);
  const controller = new Controller({ transport: rig.connect });
  const times: number[] = [];
  try {
    await controller.connect();
    for (let i = 0; i < UPLOADS; i++) {
      const t0 = performance.now();
      await controller.play(session);
      times.push(performance.now() - t0);
      await controller.emergencyStop();
      await controller.waitForEnd();
    }
  } finally {
    await controller.close();
  }
  const frames = session.chunks.reduce((n, chunk) => n + uploadFrames(chunk).length, 0);
  return { times, frames };
}

function routine(minutes: number): CompiledSession {
  const source = getRoutine("daily-hair-care");
  if (!source) throw new Error("daily-hair-care is missing");
  return compileSession(source, { minutes, intensity: 70 });
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? Number.NaN) * 1000) / 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(what)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
