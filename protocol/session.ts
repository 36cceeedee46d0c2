/**
 * A compiled session: the wire program a device plays plus what the host needs to present
 * it (steps with their cues and times). Produced by patterns/compiler, consumed by the
 * controller, the CLI and the desktop app.
 */
import type { Goal, Pressure, Technique, Zone } from "./pattern.ts";
import type { WireProgram } from "./program.ts";

export interface SessionStep {
  /** Matches ProgramBlock.step and the `step` field of ST and TM frames. */
  index: number;
  patternId: string;
  name: string;
  cue: string;
  technique: Technique;
  zones: Zone[];
  pressure: Pressure;
  startMs: number;
  durationMs: number;
}

/** Limits a session is compiled against: the person's and the device's, whichever is lower wins. */
export interface SessionCaps {
  /** 0..1 */
  vibration: number;
  /** 0..1, applied to the rotation speed in either direction */
  rotation: number;
}

export interface CompiledSession {
  /** The pattern or routine id this was compiled from. */
  sourceId: string;
  name: string;
  goal: Goal;
  durationMs: number;
  /** 0..100 */
  intensity: number;
  /**
   * Where `intensity` is applied: "levels" (absent: the same) — baked into the program's levels;
   * "gain" — the levels are at 100 % (within the caps) and the controller sends the intensity as
   * the device's GAIN (protocol 1.1), so it can change while the session plays.
   */
  intensityIn?: "levels" | "gain";
  caps: SessionCaps;
  steps: SessionStep[];
  /**
   * The session's program, as the one or more programs that each fit the device it was compiled
   * for (split at step boundaries, each with its own ramps), played back to back. One representation
   * for every player: the controller uploads them in turn, the streamer and the chart play
   * them back to back (`playedProgram`).
   */
  chunks: WireProgram[];
}

/** The session as one program: its chunks back to back, exactly as a device plays them in turn. */
export function playedProgram(session: Pick<CompiledSession, "chunks">): WireProgram {
  const [only, ...more] = session.chunks;
  if (only !== undefined && more.length === 0) return only;
  return { blocks: session.chunks.flatMap((chunk) => chunk.blocks) };
}
