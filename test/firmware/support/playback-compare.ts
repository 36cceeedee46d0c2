/**
 * Compares what the emulated board's pins did with what the program asks for: the reference is
 * the TypeScript simulator's applied levels for the same upload and START (held to the firmware
 * frame for frame in native-vs-simulator.test.ts), turned into the duties the pins should show.
 */
import { encode, type WireProgram } from "../../../protocol/index.ts";
import { uploadFrames, withSeq } from "../../../protocol/upload.ts";
import { dutyOf, type PinSample, sampleAt } from "./massager-board.ts";
import { DeviceScript } from "./native-driver.ts";
import { runSimulator } from "./simulator-twin.ts";

/** The pin timeline the program should produce from START (at time 0, in µs). */
export async function referenceTimeline(
  program: WireProgram,
  caps: { vibCap: number; rotCap: number },
  runMs: number,
): Promise<PinSample[]> {
  const script = new DeviceScript();
  let seq = 1;
  for (const frame of uploadFrames(program)) script.send(encode(withSeq(frame, seq++)));
  script.send(encode({ type: "START", seq, ...caps, limitS: 3600 }));
  for (let left = runMs; left > 0; left -= 250)
    script.advance(Math.min(250, left)).send(encode({ type: "PING", seq: 1 }));
  const run = await runSimulator(script);
  const timeline: PinSample[] = [];
  for (const change of run.outputs) {
    const sample = {
      timeUs: change.tMs * 1000,
      vib: dutyOf(change.vib),
      rot: Math.sign(change.rot) * dutyOf(change.rot),
    };
    const last = timeline.at(-1);
    if (!last || last.vib !== sample.vib || last.rot !== sample.rot) timeline.push(sample);
  }
  return timeline;
}

/** When the motors first move in a timeline (µs), or undefined. */
export function firstMotion(timeline: readonly PinSample[]): number | undefined {
  return timeline.find((sample) => sample.vib !== 0 || sample.rot !== 0)?.timeUs;
}

export interface PlaybackComparison {
  /** Largest difference in duty (0..255) between the board and the reference, over the whole program. */
  maxDutyError: number;
  /** For each duty change the reference makes, how far (ms) from it the board's pin reached the same duty. */
  timingErrorsMs: number[];
  /** Reference changes the board never showed within the search window (it may step past a duty). */
  unmatched: number;
}

/** Aligns both timelines at their first motion and compares them every `stepMs` over `spanMs`. */
export function comparePlayback(
  board: readonly PinSample[],
  reference: readonly PinSample[],
  spanMs: number,
  stepMs = 2,
): PlaybackComparison {
  const boardStart = firstMotion(board);
  const referenceStart = firstMotion(reference);
  if (boardStart === undefined || referenceStart === undefined) throw new Error("a timeline never moves");
  let maxDutyError = 0;
  for (let ms = 0; ms <= spanMs; ms += stepMs) {
    const a = sampleAt(board, boardStart + ms * 1000);
    const b = sampleAt(reference, referenceStart + ms * 1000);
    maxDutyError = Math.max(maxDutyError, Math.abs(a.vib - b.vib), Math.abs(a.rot - b.rot));
  }
  const timingErrorsMs: number[] = [];
  let unmatched = 0;
  const windowUs = 20_000;
  for (const channel of ["vib", "rot"] as const) {
    let previous = 0;
    for (const change of reference) {
      if (change[channel] === previous) continue;
      previous = change[channel];
      const expectedUs = boardStart + (change.timeUs - referenceStart);
      let best: number | undefined;
      let last = 0;
      for (const sample of board) {
        const moved = sample[channel] !== last;
        last = sample[channel];
        if (!moved || sample[channel] !== change[channel]) continue;
        const error = Math.abs(sample.timeUs - expectedUs);
        if (error <= windowUs && (best === undefined || error < best)) best = error;
      }
      if (best === undefined) unmatched++;
      else timingErrorsMs.push(best / 1000);
    }
  }
  return { maxDutyError, timingErrorsMs, unmatched };
}

/** The p-th percentile (0..100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
