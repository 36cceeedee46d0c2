/**
 * Checks a real-time record of applied outputs against a program. The device ticks on real
 * timers, so each recorded level is compared with what the reference (player, caps, slew)
 * gives over a short window around its time, rather than tick for tick.
 */

import type { OutputChange } from "../../../device/simulator/recorder.ts";
import type { Levels, WireProgram } from "../../../protocol/program.ts";
import { expectedOutputs } from "../../support/sessions.ts";

export interface Deviation {
  atMs: number;
  recorded: Levels;
  expectedRange: { vib: [number, number]; rot: [number, number] };
}

function levelsAt(changes: readonly OutputChange[], tMs: number): Levels {
  let found: OutputChange | undefined;
  for (const change of changes) {
    if (change.tMs > tMs) break;
    found = change;
  }
  return { vib: found?.vib ?? 0, rot: found?.rot ?? 0 };
}

/**
 * Samples every `stepMs` over the program and returns the samples whose recorded level lies
 * outside the reference's range over [t − lagMs, t + leadMs], widened by `slack` units.
 */
export function deviationsFromProgram(
  changes: readonly OutputChange[],
  program: WireProgram,
  startMs: number,
  durationMs: number,
  options: { stepMs?: number; lagMs?: number; leadMs?: number; slack?: number } = {},
): Deviation[] {
  const { stepMs = 25, lagMs = 40, leadMs = 15, slack = 10 } = options;
  const reference = expectedOutputs(program, startMs, startMs + durationMs, { tickMs: 1 });
  const deviations: Deviation[] = [];
  for (let t = startMs + lagMs; t <= startMs + durationMs - leadMs; t += stepMs) {
    const range = { vib: [Infinity, -Infinity] as [number, number], rot: [Infinity, -Infinity] as [number, number] };
    for (let u = t - lagMs; u <= t + leadMs; u++) {
      const want = reference.get(u) ?? { vib: 0, rot: 0 };
      range.vib = [Math.min(range.vib[0], want.vib), Math.max(range.vib[1], want.vib)];
      range.rot = [Math.min(range.rot[0], want.rot), Math.max(range.rot[1], want.rot)];
    }
    const recorded = levelsAt(changes, t);
    const outside = (value: number, [low, high]: [number, number]) => value < low - slack || value > high + slack;
    if (outside(recorded.vib, range.vib) || outside(recorded.rot, range.rot)) {
      deviations.push({ atMs: t - startMs, recorded, expectedRange: range });
    }
  }
  return deviations;
}

/**
 * The device's own trace, judged where it acted: each recorded change (a control step of the
 * device, in device time) must hold the reference's level at that time, give or take `windowMs`
 * (the step's rounding to whole ms) and `slack` units. How late the steps came, on real timers,
 * does not count: a late step holds a level longer, and applies the right level when it runs.
 */
export function changesOffProgram(
  changes: readonly OutputChange[],
  program: WireProgram,
  startMs: number,
  durationMs: number,
  options: { windowMs?: number; slack?: number } = {},
): Deviation[] {
  const { windowMs = 2, slack = 10 } = options;
  const reference = expectedOutputs(program, startMs, startMs + durationMs, { tickMs: 1 });
  const deviations: Deviation[] = [];
  for (const change of changes) {
    if (change.tMs < startMs + windowMs || change.tMs > startMs + durationMs - windowMs) continue;
    const range = { vib: [Infinity, -Infinity] as [number, number], rot: [Infinity, -Infinity] as [number, number] };
    for (let u = change.tMs - windowMs; u <= change.tMs + windowMs; u++) {
      const want = reference.get(u) ?? { vib: 0, rot: 0 };
      range.vib = [Math.min(range.vib[0], want.vib), Math.max(range.vib[1], want.vib)];
      range.rot = [Math.min(range.rot[0], want.rot), Math.max(range.rot[1], want.rot)];
    }
    const outside = (value: number, [low, high]: [number, number]) => value < low - slack || value > high + slack;
    if (outside(change.vib, range.vib) || outside(change.rot, range.rot)) {
      deviations.push({
        atMs: change.tMs - startMs,
        recorded: { vib: change.vib, rot: change.rot },
        expectedRange: range,
      });
    }
  }
  return deviations;
}
