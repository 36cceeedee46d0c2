/**
 * The controller against the simulated massager in the configuration people run: the simulator
 * in a process of its own on a pseudo-terminal (test/bench/simulator-process.ts, as `massager
 * simulate --pty`), the controller in this process over serialport. Prints emergency-stop
 * latency (API call here to applied zero there, on the epoch clock both processes share; also
 * with two busy loops loading both cores, with the stop byte and with the ESTOP frame alone),
 * live-intensity latency (setIntensity() to the first applied change, and the ramp's length),
 * upload time of a 10-minute routine, playback timing error in device time, the controller's
 * CPU use while the device plays and the speed of virtual time (the CLI's wall times: cli.bench.ts).
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { TERMINAL_TELEMETRY_MS } from "../../device/cli/session/run-session.ts";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import { compileSession } from "../../patterns/compiler.ts";
import { getRoutine } from "../../patterns/library/index.ts";
import type { WireProgram } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { sessionOf } from "../support/sessions.ts";
import type { BenchResult } from "./run.ts";
import type { FromSimulator, ToSimulator } from "./simulator-process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/massager.js", import.meta.url));
const CHILD = fileURLToPath(new URL("./simulator-process.ts", import.meta.url));

export default async function run(): Promise<BenchResult[]> {
  // Virtual time first, as `play --fast` runs it: in a process that has already run the pty
  // benches, the code both share (the link, the transports' line events) has seen other
  // transports and runs a quarter slower, which no `play --fast` process does.
  const virtual = [...(await virtualSpeed(1000)), ...(await virtualSpeed(50))];
  return [
    ...(await emergencyStopLatency(200)),
    ...(await underLoad(() => emergencyStopLatency(200, { label: ", two busy loops" }))),
    ...(await underLoad(() =>
      emergencyStopLatency(200, { label: ", two busy loops, 1.0 device (frame only)", protocol: "1.0" }),
    )),
    ...(await intensityLatency(100)),
    ...(await uploadTime(10)),
    ...(await playbackTiming(1)),
    ...(await playbackTiming(5)),
    ...(await controllerCpu(10_000, TERMINAL_TELEMETRY_MS, "the CLI's")),
    ...(await controllerCpu(10_000, 50, "the controller's default")),
    ...(await cliCpu()),
    ...virtual,
  ];
}

// ── the simulator's process ─────────────────────────────────────────────────

interface SimulatorProcess {
  path: string;
  child: ChildProcess;
  send(message: ToSimulator): void;
  /** The next message of `type` from the simulator. */
  next<T extends FromSimulator["type"]>(type: T, timeoutMs?: number): Promise<Extract<FromSimulator, { type: T }>>;
  close(): Promise<void>;
}

function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

interface SimulatorOptions {
  tickMs?: number;
  slewMs?: number;
  /** Behave as a 1.0 device (no stop byte, no GAIN). Default 1.1. */
  protocol?: "1.0" | "1.1";
}

async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorProcess> {
  const args = [
    ...(options.tickMs !== undefined ? ["--tick-ms", String(options.tickMs)] : []),
    ...(options.slewMs !== undefined ? ["--slew-ms", String(options.slewMs)] : []),
    ...(options.protocol !== undefined ? ["--protocol", options.protocol] : []),
  ];
  const child = fork(CHILD, args, {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // A bench never leaves a simulator behind, even when it hangs.
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const waiters = new Set<(message: FromSimulator) => boolean>();
  child.on("message", (message: FromSimulator) => {
    for (const waiter of waiters) if (waiter(message)) waiters.delete(waiter);
  });
  const next: SimulatorProcess["next"] = (type, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`the simulator process sent no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (message: FromSimulator): boolean => {
        if (message.type === "failed") {
          clearTimeout(timer);
          reject(new Error(`the simulator process failed: ${message.message}`));
          return true;
        }
        if (message.type !== type) return false;
        clearTimeout(timer);
        resolve(message as Extract<FromSimulator, { type: typeof type }>);
        return true;
      };
      waiters.add(waiter);
    });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) {
      child.disconnect();
      const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, "SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const ready = await next("ready", 15_000);
    return { path: ready.path, child, send: (message) => child.send(message), next, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `body` with a simulator process and a connected controller; tears both down. */
async function withSimulator<T>(
  simulatorOptions: SimulatorOptions,
  controllerOptions: { telemetryMs?: number },
  body: (sim: SimulatorProcess, controller: Controller) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(simulatorOptions);
  const controller = new Controller({ transport: () => new SerialTransport({ path: sim.path }), ...controllerOptions });
  try {
    await controller.connect();
    return await body(sim, controller);
  } finally {
    await controller.close();
    await sim.close();
  }
}

/**
 * How far apart the two processes' epoch clocks can be: the simulator's reading must fall
 * between this process's readings before and after the round trip. Returns the worst miss (0
 * when every reading fell inside) and the median round trip.
 */
async function clockAgreement(sim: SimulatorProcess, rounds = 20): Promise<{ missMs: number; roundTripMs: number }> {
  let missMs = 0;
  const trips: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const before = epochMs();
    const reply = sim.next("clock");
    sim.send({ type: "clock" });
    const { epochMs: theirs } = await reply;
    const after = epochMs();
    missMs = Math.max(missMs, before - theirs, theirs - after);
    trips.push(after - before);
  }
  return { missMs, roundTripMs: percentile(trips, 50) };
}

// ── the measurements ────────────────────────────────────────────────────────

function routine(minutes: number): CompiledSession {
  const source = getRoutine("daily-hair-care");
  if (!source) throw new Error("daily-hair-care is missing");
  return compileSession(source, { minutes, intensity: 70 });
}

/** Runs left out of the numbers, while the JIT of both processes settles. */
const WARM_UP = 20;

/**
 * Runs `body` while two busy loops (one per core of the 2-core machine the issue measured on)
 * compete with both processes for the CPU.
 */
async function underLoad<T>(body: () => Promise<T>): Promise<T> {
  const loops = [0, 1].map(() => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  try {
    await sleep(200); // both spinning before the first measurement
    return await body();
  } finally {
    for (const loop of loops) if (loop.pid !== undefined) process.kill(loop.pid, "SIGKILL");
  }
}

async function emergencyStopLatency(
  runs: number,
  options: { label?: string; protocol?: "1.0" | "1.1" } = {},
): Promise<BenchResult[]> {
  const label = options.label ?? "";
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
  const { latencies, clock } = await withSimulator(
    options.protocol ? { protocol: options.protocol } : {},
    { telemetryMs: TERMINAL_TELEMETRY_MS },
    async (sim, controller) => {
      const clock = await clockAgreement(sim);
      if (clock.missMs > 1)
        throw new Error(`the two processes' epoch clocks disagree by ${clock.missMs.toFixed(3)} ms`);
      const out: number[] = [];
      for (let i = 0; i < runs + WARM_UP; i++) {
        await controller.play(sessionOf(hold));
        await sleep(30); // the device ramps up for a few ticks: there is something to stop
        // Armed, and known to be armed, before the ESTOP can reach the device.
        sim.send({ type: "arm-zero" });
        const armed = sim.next("clock");
        sim.send({ type: "clock" });
        await armed;
        const zero = sim.next("zero");
        const calledAt = epochMs();
        const stopped = controller.emergencyStop();
        const { atEpochMs, from } = await zero;
        await stopped;
        if (from.vib === 0 && from.rot === 0) throw new Error("the outputs were already at zero when ESTOP was sent");
        if (i >= WARM_UP) out.push(atEpochMs - calledAt);
        await controller.waitForEnd();
      }
      return { latencies: out, clock };
    },
  );
  return [
    {
      name: `emergency stop, API call to applied zero${label}, p50`,
      value: percentile(latencies, 50),
      unit: "ms",
      note: `n=${latencies.length} after ${WARM_UP} warm-up runs, p95 ${percentile(latencies, 95)} ms, max ${percentile(latencies, 100)} ms`,
    },
    {
      name: `emergency stop, API call to applied zero${label}, p99`,
      value: percentile(latencies, 99),
      unit: "ms",
      aim: "< 5",
      note: `epoch clocks agree within ${clock.missMs.toFixed(3)} ms (IPC round trip ${clock.roundTripMs.toFixed(3)} ms)`,
    },
  ];
}

/**
 * setIntensity() while a session plays (protocol 1.1 GAIN): from the call here to the first
 * applied change on the device there, and to the new level, whose ramp the slew limit sets
 * (default 400 ms full scale: 600 → 300 takes 120 ms).
 */
async function intensityLatency(runs: number): Promise<BenchResult[]> {
  const hold: WireProgram = {
    blocks: [{ durationMs: 600_000, step: 0, vib: [{ dtMs: 50, value: 600, ease: "step" }], rot: [] }],
  };
  const live: CompiledSession = { ...sessionOf(hold), intensityIn: "gain" };
  const { starts, ramps } = await withSimulator({}, { telemetryMs: TERMINAL_TELEMETRY_MS }, async (sim, controller) => {
    await controller.play(live);
    await sleep(500); // at 600
    const startOut: number[] = [];
    const rampOut: number[] = [];
    for (let i = 0; i < runs + WARM_UP; i++) {
      const percent = i % 2 === 0 ? 50 : 100;
      const target = percent === 50 ? 300 : 600;
      sim.send({ type: "arm-change" });
      sim.send({ type: "arm-vib", vib: target });
      const armed = sim.next("clock");
      sim.send({ type: "clock" });
      await armed;
      const change = sim.next("change");
      const reached = sim.next("vib");
      const calledAt = epochMs();
      await controller.setIntensity(percent);
      const first = await change;
      const done = await reached;
      if (i >= WARM_UP) {
        startOut.push(first.atEpochMs - calledAt);
        rampOut.push(done.atEpochMs - first.atEpochMs);
      }
      await sleep(50);
    }
    await controller.emergencyStop();
    return { starts: startOut, ramps: rampOut };
  });
  return [
    {
      name: "live intensity, setIntensity() to first applied change, p50",
      value: percentile(starts, 50),
      unit: "ms",
      note: `n=${starts.length}, max ${percentile(starts, 100)} ms; simulator in its own process on a pty`,
    },
    {
      name: "live intensity, setIntensity() to first applied change, p99",
      value: percentile(starts, 99),
      unit: "ms",
      aim: "< 10",
    },
    {
      name: "live intensity, ramp 600 → 300 (or back), median",
      value: percentile(ramps, 50),
      unit: "ms",
      aim: "≈ 120 (slew limit: full scale in 400 ms)",
      note: `min ${percentile(ramps, 0)} ms, max ${percentile(ramps, 100)} ms; first change to the new level`,
    },
  ];
}

async function uploadTime(runs: number): Promise<BenchResult[]> {
  const session = routine(10);
  const times = await withSimulator({}, {}, async (_sim, controller) => {
    const out: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await controller.play(session); // upload + START, resolved on START's OK
      if (i >= 2) out.push(performance.now() - t0);
      await controller.emergencyStop();
    }
    return out;
  });
  const blocks = session.chunks.reduce((n, c) => n + c.blocks.length, 0);
  return [
    {
      name: "upload of a 10-minute routine (to START's OK), median",
      value: percentile(times, 50),
      unit: "ms",
      aim: "< 100",
      note: `max ${percentile(times, 100)} ms, n=${times.length}, ${session.chunks.length} program(s), ${blocks} blocks`,
    },
  ];
}

async function playbackTiming(tickMs: number): Promise<BenchResult[]> {
  // A keyframe every 20 ms, each a step to a new level: each one is one change at a known time.
  const keys = Array.from({ length: 16 }, (_, i) => ({
    dtMs: 20,
    value: 100 + ((i * 337) % 800),
    ease: "step" as const,
  }));
  const durationMs = 10_000; // 500 keyframes
  const program: WireProgram = { blocks: [{ durationMs, step: 0, vib: keys, rot: [] }] };
  const { errors, missed } = await withSimulator(
    { tickMs, slewMs: 0 },
    { telemetryMs: TERMINAL_TELEMETRY_MS },
    async (sim, controller) => {
      await controller.play(sessionOf(program));
      await controller.waitForEnd();
      const recorded = sim.next("record");
      sim.send({ type: "record" });
      const { sessionStartMs: startMs, changes } = await recorded;
      const out: number[] = [];
      let missed = 0;
      let due = 0;
      for (let k = 0; due < durationMs; k++) {
        const key = keys[k % keys.length];
        if (!key) break;
        // The change to this keyframe's level, while it is the one playing; none means a stalled
        // control loop skipped the keyframe altogether.
        const change = changes.find(
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
      ...(tickMs === 1 ? { aim: "< 2" } : {}),
      note: `p50 ${percentile(errors, 50)} ms, max ${percentile(errors, 100)} ms, n=${errors.length} keyframes, ${missed} skipped${tickMs > 1 ? ` (a ${tickMs} ms tick alone is up to ${tickMs - 1} ms late)` : ""}`,
    },
  ];
}

async function controllerCpu(windowMs: number, telemetryMs: number, whose: string): Promise<BenchResult[]> {
  const { percent, tmPerSecond } = await withSimulator({}, { telemetryMs }, async (_sim, controller) => {
    let frames = 0;
    controller.on("telemetry", () => frames++);
    await controller.play(routine(10));
    await sleep(1000); // past the upload and the first frames
    const cpu0 = process.cpuUsage();
    const frames0 = frames;
    const t0 = performance.now();
    await sleep(windowMs);
    const used = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    return {
      percent: ((used.user + used.system) / 1000 / wall) * 100,
      tmPerSecond: (frames - frames0) / (wall / 1000),
    };
  });
  return [
    {
      name: `controller CPU during on-device playback, TM ${telemetryMs} ms`,
      value: percent,
      unit: "% of a core",
      aim: "< 1",
      note: `${whose} setting; this process over ${windowMs / 1000} s, ${tmPerSecond.toFixed(1)} TM/s, PING every 250 ms`,
    },
  ];
}

/**
 * CPU of a real `massager play --device serial:PTY --json` process (its reporter and tsx's loader
 * thread included), from /proc: over its first seconds after start-up (V8's memory reducer
 * collects both isolates' start-up garbage then), and in the steady state of a long session.
 */
async function cliCpu(): Promise<BenchResult[]> {
  const ticksPerSecond = 100; // USER_HZ: what /proc/PID/stat counts in on Linux
  const sim = await startSimulator();
  const child = spawn(
    process.execPath,
    [BIN, "play", "daily-hair-care", "--minutes", "10", "--device", `serial:${sim.path}`, "--json"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  try {
    child.stdout?.resume();
    await sleep(3000); // start-up, handshake, upload
    if (child.exitCode !== null || child.pid === undefined) throw new Error(`massager play exited early: ${stderr}`);
    const statPath = `/proc/${child.pid}/stat`;
    const sample = () => {
      const fields = readFileSync(statPath, "utf8").split(") ")[1]?.split(" ") ?? [];
      // utime + stime (fields 14 and 15 of stat), in ticks; and when
      return { ticks: Number(fields[11]) + Number(fields[12]), at: performance.now() };
    };
    const percent = (from: { ticks: number; at: number }, to: { ticks: number; at: number }) =>
      ((to.ticks - from.ticks) / ticksPerSecond / ((to.at - from.at) / 1000)) * 100;
    const started = sample();
    await sleep(10_000);
    const settled = sample();
    await sleep(2000);
    const steady = sample();
    await sleep(15_000);
    const end = sample();
    const note = `from /proc (10 ms ticks), all threads, TM ${TERMINAL_TELEMETRY_MS} ms`;
    return [
      {
        name: "massager play --device serial:PTY, CPU, 3..13 s after start",
        value: percent(started, settled),
        unit: "% of a core",
        note: `${note}; start-up garbage collected here`,
      },
      {
        name: "massager play --device serial:PTY, CPU, steady (15..30 s)",
        value: percent(steady, end),
        unit: "% of a core",
        aim: "< 1",
        note,
      },
    ];
  } finally {
    clearTimeout(killer);
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGINT");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
    await sim.close();
  }
}

async function virtualSpeed(telemetryMs: number): Promise<BenchResult[]> {
  const session = routine(60);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let round = 0; round < 4; round++) {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock, keepRecord: false });
    const controller = new Controller({ clock, transport: sim.connect, telemetryMs });
    await clock.runUntil(controller.connect());
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await clock.runUntil(controller.play(session));
    const end = await clock.runUntil(controller.waitForEnd());
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await clock.runUntil(controller.close());
    sim.device.stop();
    if (!end.completed) throw new Error(`the 60-minute session ended ${end.reason}`);
    if (round > 0) {
      // the first round warms the JIT up
      walls.push(wall);
      cpus.push((cpu.user + cpu.system) / 1000);
    }
  }
  const median = percentile(walls, 50);
  // On a machine busy with other work the wall time is mostly waiting for a core: the CPU figure is the steadier one.
  const perCpuSecond = session.durationMs / percentile(cpus, 50);
  return [
    {
      name: `virtual time, 60-minute routine, TM ${telemetryMs} ms, median`,
      value: session.durationMs / median,
      unit: "sim s/s",
      aim: "> 10000",
      note: `${(median / 1000).toFixed(3)} s wall (of ${walls.map((w) => (w / 1000).toFixed(3)).join(", ")}); ${Math.round(perCpuSecond)} sim s per CPU s; in-process, warm${telemetryMs === 1000 ? "; what play --fast asks for" : ""}`,
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
