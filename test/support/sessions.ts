/** Sessions, rigs and expected outputs shared by the controller, simulator and BLE suites. */

import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import type { ControllerOptions } from "../../device/controller/options.ts";
import type { DeviceCapabilities } from "../../device/reference-device/capabilities.ts";
import { SlewLimiter } from "../../device/reference-device/slew.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../../device/simulator/in-process.ts";
import type { DeviceLimits } from "../../patterns/compiler.ts";
import { compileSession, getPattern, getRoutine } from "../../patterns/index.ts";
import { ProgramPlayer } from "../../protocol/player.ts";
import type { Levels, WireProgram } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";

/** A compiled built-in pattern or routine. */
export function compiled(id: string, minutes: number, intensity = 80, device?: DeviceLimits): CompiledSession {
  const source = getRoutine(id) ?? getPattern(id);
  if (source === undefined) throw new Error(`no built-in ${id}`);
  return compileSession(source, { minutes, intensity, ...(device ? { device } : {}) });
}

/** A hand-built session around one program, with every step named. */
export function sessionOf(program: WireProgram, caps = { vibration: 1, rotation: 1 }): CompiledSession {
  const durationMs = program.blocks.reduce((sum, b) => sum + b.durationMs, 0);
  const steps = [...new Set(program.blocks.map((b) => b.step))].map((index) => ({
    index,
    patternId: `step-${index}`,
    name: `Step ${index}`,
    cue: `cue ${index}`,
    technique: "circular" as const,
    zones: ["scalp" as const],
    pressure: "medium" as const,
    startMs: 0,
    durationMs,
  }));
  return {
    sourceId: "test",
    name: "Test",
    goal: "hair",
    durationMs,
    intensity: 100,
    caps,
    steps,
    chunks: [program],
  };
}

export interface VirtualRig {
  clock: VirtualClock;
  sim: InProcessSimulator;
  controller: Controller;
}

/** A simulator and a controller on one virtual clock. */
export function virtualRig(
  options: {
    capabilities?: Partial<DeviceCapabilities>;
    latencyMs?: number;
    controller?: Partial<ControllerOptions>;
  } = {},
): VirtualRig {
  const clock = new VirtualClock();
  const sim = createInProcessSimulator({
    clock,
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  });
  const controller = new Controller({ transport: sim.connect, clock, ...options.controller });
  return { clock, sim, controller };
}

/**
 * What the device should apply, tick by tick: the reference player, the caps, then the slew
 * limit, from `startMs` (device output time of START) with ticks every `tickMs` from 0.
 */
export function expectedOutputs(
  program: WireProgram,
  startMs: number,
  untilMs: number,
  options: { tickMs?: number; slewMs?: number; vibCap?: number; rotCap?: number } = {},
): Map<number, Levels> {
  const tickMs = options.tickMs ?? 5;
  const slew = new SlewLimiter(options.slewMs ?? 400);
  const player = new ProgramPlayer(program);
  const vibCap = options.vibCap ?? 1000;
  const rotCap = options.rotCap ?? 1000;
  const out = new Map<number, Levels>();
  let applied: Levels = { vib: 0, rot: 0 };
  let done = false;
  for (let t = Math.floor(startMs / tickMs) * tickMs + tickMs; t <= untilMs; t += tickMs) {
    const sample = player.sample(t - startMs);
    done ||= sample.done;
    const target = done
      ? { vib: 0, rot: 0 }
      : { vib: Math.min(sample.vib, vibCap), rot: Math.max(-rotCap, Math.min(sample.rot, rotCap)) };
    applied = slew.step(applied, target, tickMs);
    out.set(t, applied);
  }
  return out;
}
