/** The shared protocol vectors in test/vectors/ (see its README), typed, for every suite that holds an implementation to them. */
import { readFileSync } from "node:fs";
import { EASINGS, type Message, type WireKey, type WireProgram } from "../../protocol/index.ts";

/** A well-formed frame and the message it decodes to; `canonical` when encoding the message gives the line back. */
export interface FrameVector {
  from: "host" | "device";
  line: string;
  canonical: boolean;
  message: Message;
}

/** A malformed line and the `ER` a device answers it with (`code` null: no reply at all). */
export interface InvalidVector {
  from: "host" | "device";
  line: string;
  code: number | null;
  seq: number | null;
  why: string;
}

/** A program (keyframes as `dt,value,ease` tokens) and the player's levels at chosen positions. */
export interface PlaybackVector {
  name: string;
  blocks: Array<{ durationMs: number; step: number; vib: string[]; rot: string[] }>;
  samples: Array<{ posMs: number; vib: number; rot: number; step: number; done: boolean }>;
}

/**
 * A scripted exchange and every frame a device writes in reply, with its time: the same on the
 * simulator and the firmware. Script items: `> BODY` a frame (its checksum added), `= BYTES` bytes
 * as they are (`{BODY}` in them becomes `BODY*CC`), `+ MS` time passing. `coarse`: the frames'
 * contents must also come out the same when the simulator's timer ticks coarsely and late.
 */
export interface SessionVector {
  name: string;
  why: string;
  coarse?: boolean;
  script: string[];
  /** `tMs body` of every frame after the boot frame. */
  frames: string[];
}

function load<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), "utf8")) as T[];
}

export const frameVectors: readonly FrameVector[] = load<FrameVector>("frames.json");
export const invalidVectors: readonly InvalidVector[] = load<InvalidVector>("invalid.json");
export const playbackVectors: readonly PlaybackVector[] = load<PlaybackVector>("playback.json");
/** An applied level and the PWM steps (of `steps` per period) it keeps its pin high. */
export interface PwmVector {
  level: number;
  steps: number;
  on: number;
}

export const pwmVectors: readonly PwmVector[] = load<PwmVector>("pwm.json");
export const sessionVectors: readonly SessionVector[] = load<SessionVector>("sessions.json");

/** A keyframe token `dt,value,ease` (ease as its wire digit). */
export function wireKey(token: string): WireKey {
  const [dtMs = 0, value = 0, easeDigit = 0] = token.split(",").map(Number);
  const ease = EASINGS[easeDigit];
  if (ease === undefined) throw new Error(`playback vector keyframe ${token}: no ease ${easeDigit}`);
  return { dtMs, value, ease };
}

/** A playback vector's program. */
export function playbackProgram(vector: PlaybackVector): WireProgram {
  return {
    blocks: vector.blocks.map((block) => ({
      durationMs: block.durationMs,
      step: block.step,
      vib: block.vib.map(wireKey),
      rot: block.rot.map(wireKey),
    })),
  };
}
