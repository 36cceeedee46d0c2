/**
 * The controller and the simulator over a real pseudo-terminal (socat): emergency-stop
 * latency, upload time of a 10-minute routine, playback timing error, the controller's CPU
 * use while the device plays, and the speed of virtual time.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { type HostedSimulator, hostOnPty } from "../../device/simulator/hosts.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { OutputRecorder } from "../../device/simulator/recorder.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import { compileSession } from "../../patterns/compiler.ts";
import { getRoutine } from "../../patterns/library/index.ts";
import type { WireProgram } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import type { BenchResult } from "./run.ts";

export default async function run(): Promise<BenchResult[]> {
  return [
    ...(await emergencyStopLatency(200)),
    ...(await uploadTime(10)),
    ...(await playbackTiming(5)),
    ...(await playbackTiming(1)),
    ...(await controllerCpu(10_000, 50)),
    ...(await controllerCpu(10_000, 100)),
    ...(await virtualSpeed(50)),
    ...(await virtualSpeed(1000)),
  ];
}

function routine(minutes: number): CompiledSession {
  const source = getRoutine("daily-hair-care");
  if (!source) throw new Error("daily-hair-care is missing");
  return compileSession(source, { minutes, intensity: 70 });
}

function sessionOf(program: WireProgram): CompiledSession {
  const durationMs = program.blocks.reduce((sum, b) => sum + b.durationMs, 0);
  return { ...routine(1), durationMs, program, chunks: [program], caps: { vibration: 1, rotation: 1 } };
}

async function onPty<T>(
  options: Parameters<typeof hostOnPty>[0],
  body: (host: HostedSimulator, controller: Controller, recorder: OutputRecorder) => Promise<T>,
): Promise<T> {
  const recorder = new OutputRecorder();
  const host = await hostOnPty({ ...options, sinks: [recorder] });
  const controller = new Controller({ transport: () => new SerialTransport({ path: host.address }) });
  try {
    await controller.connect();
    return await body(host, controller, recorder);
  } finally {
    await controller.close();
    await host.close();
  }
}

/** Runs left out of the numbers, while the JIT settles. */
const WARM_UP = 10;

async function emergencyStopLatency(runs: number): Promise<BenchResult[]> {
  const hold: WireProgram = {
    blocks: [
      {
        durationMs: 60_000,
        step: 0,
        vib: [{ dtMs: 50, value: 600, ease: "step" }],
        rot: [{ dtMs: 50, value: 400, ease: "step" }],
      },
    ],
  };
  const latencies = await onPty({}, async (_host, controller, recorder) => {
    const out: number[] = [];
    for (let i = 0; i < runs + WARM_UP; i++) {
      await controller.play(sessionOf(hold));
      await until(() => recorder.current.vib > 0);
      await sleep(20);
      let zeroAt = 0;
      const off = recorder.onChange((c) => {
        if (c.vib === 0 && c.rot === 0 && zeroAt === 0) zeroAt = performance.now();
      });
      const calledAt = performance.now();
      void controller.emergencyStop();
      await until(() => zeroAt !== 0);
      off();
      if (i >= WARM_UP) out.push(zeroAt - calledAt);
      await controller.waitForEnd();
    }
    return out;
  });
  return [
    { name: "emergency stop, API call to applied zero, p50", value: percentile(latencies, 50), unit: "ms" },
    {
      name: "emergency stop, API call to applied zero, p99",
      value: percentile(latencies, 99),
      unit: "ms",
      aim: "< 5",
      note: `n=${runs}`,
    },
  ];
}

async function uploadTime(runs: number): Promise<BenchResult[]> {
  const session = routine(10);
  const times = await onPty({}, async (_host, controller) => {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await controller.play(session); // upload + START, resolved on START's OK
      out.push(performance.now() - t0);
      await controller.emergencyStop();
    }
    return out;
  });
  const frames = session.chunks.reduce((n, c) => n + c.blocks.length, 0);
  return [
    {
      name: "upload of a 10-minute routine (to START's OK), median",
      value: percentile(times, 50),
      unit: "ms",
      aim: "< 100",
      note: `${session.chunks.length} program(s), ${frames} blocks`,
    },
  ];
}

async function playbackTiming(tickMs: number): Promise<BenchResult[]> {
  // A keyframe every 50 ms, each a step to a new level: each one is one change at a known time.
  const keys = Array.from({ length: 16 }, (_, i) => ({
    dtMs: 50,
    value: 100 + ((i * 337) % 800),
    ease: "step" as const,
  }));
  const program: WireProgram = { blocks: [{ durationMs: 4000, step: 0, vib: keys, rot: [] }] };
  const { errors, missed } = await onPty(
    { capabilities: { slewMs: 0 }, tickMs },
    async (host, controller, recorder) => {
      await controller.play(sessionOf(program));
      const startMs = host.device.core.state.sessionStartMs - host.device.core.originMs;
      await controller.waitForEnd();
      const out: number[] = [];
      let missed = 0;
      let due = 0;
      for (let k = 0; due < 4000; k++) {
        const key = keys[k % keys.length];
        if (!key) break;
        // The change to this keyframe's level, while it is the one playing; none means a stalled
        // control loop skipped the keyframe altogether.
        const change = recorder.changes.find(
          (c) => c.tMs >= startMs + due && c.tMs < startMs + due + key.dtMs && c.vib === key.value,
        );
        if (change) out.push(change.tMs - (startMs + due));
        else missed++;
        due += key.dtMs;
      }
      return { errors: out, missed };
    },
  );
  return [
    {
      name: `playback timing error, device tick ${tickMs} ms, p99`,
      value: percentile(errors, 99),
      unit: "ms",
      aim: "< 2",
      note: `p50 ${percentile(errors, 50)} ms, max ${Math.max(...errors)} ms, n=${errors.length} keyframes, ${missed} skipped`,
    },
  ];
}

async function controllerCpu(windowMs: number, telemetryMs: number): Promise<BenchResult[]> {
  const bin = fileURLToPath(new URL("../../bin/massager.js", import.meta.url));
  const child = spawn(process.execPath, [bin, "simulate", "--pty"], { stdio: ["ignore", "pipe", "inherit"] });
  const kill = setTimeout(() => child.kill("SIGKILL"), windowMs + 30_000);
  try {
    const path = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
        const match = /^pty: (\S+)/m.exec(text);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", () => reject(new Error("the simulator exited")));
    });
    const controller = new Controller({ transport: () => new SerialTransport({ path }), telemetryMs });
    await controller.connect();
    await controller.play(routine(10));
    await sleep(500);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(windowMs);
    const used = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    await controller.close();
    const percent = ((used.user + used.system) / 1000 / wall) * 100;
    return [
      {
        name: `controller CPU during on-device playback, TM every ${telemetryMs} ms`,
        value: percent,
        unit: "% of a core",
        aim: "< 1",
        note: `over ${windowMs / 1000} s, simulator in another process, PING every 250 ms`,
      },
    ];
  } finally {
    clearTimeout(kill);
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGTERM");
  }
}

async function virtualSpeed(telemetryMs: number): Promise<BenchResult[]> {
  const session = routine(60);
  const clock = new VirtualClock();
  const sim = createInProcessSimulator({ clock, keepRecord: false });
  const controller = new Controller({ clock, transport: sim.connect, telemetryMs });
  await clock.runUntil(controller.connect());
  const t0 = performance.now();
  await clock.runUntil(controller.play(session));
  const end = await clock.runUntil(controller.waitForEnd());
  const wallS = (performance.now() - t0) / 1000;
  await clock.runUntil(controller.close());
  if (!end.completed) throw new Error(`the 60-minute session ended ${end.reason}`);
  return [
    {
      name: `virtual time, 60-minute routine, TM every ${telemetryMs} ms`,
      value: session.durationMs / 1000 / wallS,
      unit: "sim s/s",
      aim: "> 10000",
      note: `${wallS.toFixed(2)} s wall`,
    },
  ];
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
