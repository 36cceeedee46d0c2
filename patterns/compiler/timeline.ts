/** Samples what a compiled session plays, with the reference player, for charts and tests. */
import { FULL_SCALE, gainFromPercent } from "../../protocol/limits.ts";
import { ProgramPlayer } from "../../protocol/player.ts";
import { programDurationMs } from "../../protocol/program.ts";
import type { CompiledSession } from "../../protocol/session.ts";

/**
 * A session's levels sampled every `stepMs` from 0, as columns (compact over IPC and HTTP):
 * sample `i` is at `i × stepMs`, except the last, which is at the session's end.
 * Levels are whole device units over FULL_SCALE (1000), so none has more than 3 decimals (short JSON).
 */
export interface Timeline {
  stepMs: number;
  /** The session's length: where the last sample is. */
  durationMs: number;
  /** 0..1 */
  vibration: number[];
  /** -1..1; the sign is the direction */
  rotation: number[];
}

/**
 * The levels every `stepMs` from 0 to the session's end (the end itself always included),
 * playing the chunks back to back as the controller does, at the session's intensity.
 */
export function sessionTimeline(session: CompiledSession, stepMs: number): Timeline {
  if (!(stepMs >= 1)) throw new RangeError(`stepMs must be at least 1, got ${stepMs}`);
  const timeline: Timeline = { stepMs, durationMs: session.durationMs, vibration: [], rotation: [] };
  // A session compiled for live intensity plays its levels through the device's GAIN (as the device applies it).
  const gain = session.intensityIn === "gain" ? gainFromPercent(session.intensity) : FULL_SCALE;
  let chunkIndex = 0;
  let chunkStart = 0;
  let player = chunkPlayer(session, 0);
  const sampleAt = (tMs: number) => {
    let chunk = session.chunks[chunkIndex];
    while (
      chunk !== undefined &&
      chunkIndex < session.chunks.length - 1 &&
      tMs >= chunkStart + programDurationMs(chunk)
    ) {
      chunkStart += programDurationMs(chunk);
      chunkIndex++;
      chunk = session.chunks[chunkIndex];
      player = chunkPlayer(session, chunkIndex);
    }
    const level = player.sample(tMs - chunkStart);
    // Whole device units, as the device plays them: the one rounding, which also keeps the JSON short.
    const vib = Math.trunc((level.vib * gain) / FULL_SCALE);
    const rot = Math.trunc((level.rot * gain) / FULL_SCALE);
    timeline.vibration.push(vib / FULL_SCALE + 0);
    timeline.rotation.push(rot / FULL_SCALE + 0);
  };
  for (let t = 0; t < session.durationMs; t += stepMs) sampleAt(t);
  sampleAt(session.durationMs);
  return timeline;
}

function chunkPlayer(session: CompiledSession, index: number): ProgramPlayer {
  return new ProgramPlayer(session.chunks[index] ?? { blocks: [] });
}
