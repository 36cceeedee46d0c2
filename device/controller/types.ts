/**
 * The controller's public contract, used by the CLI, the desktop app and the `serve` API.
 * The implementation lives in controller.ts.
 */
import type { DeviceState, StateReason } from "../../protocol/commands.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import type { MassagerError } from "../../protocol/errors.ts";
import type { CompiledSession, SessionStep } from "../../protocol/session.ts";

export type ConnectionStatus = "disconnected" | "connecting" | "connected" | "reconnecting";

export type SessionStatus = "idle" | "uploading" | "playing" | "paused" | "stopping" | "ended";

export interface Telemetry {
  /** Device time, ms. */
  tMs: number;
  /** Applied levels: vibration 0..1, rotation -1..1. */
  vibration: number;
  rotation: number;
  /** Position in the session, ms (paused time excluded). */
  positionMs: number;
  step: number;
}

export interface SessionEnd {
  /** True when the program ran to its end. */
  completed: boolean;
  reason: StateReason | "ERROR" | "DISCONNECT";
  error?: MassagerError;
}

export interface ControllerEvents {
  connection: [status: ConnectionStatus, detail: { attempt?: number; error?: MassagerError }];
  device: [info: DeviceInfo];
  deviceState: [state: DeviceState, reason: StateReason];
  session: [status: SessionStatus];
  step: [step: SessionStep];
  progress: [positionMs: number, durationMs: number];
  telemetry: [sample: Telemetry];
  ended: [end: SessionEnd];
  /** The device acknowledged a new intensity, percent 0..100 (setIntensity, or the session's at its start). */
  intensity: [percent: number];
  error: [error: MassagerError];
}

export interface SessionControl {
  /** Uploads (or prepares streaming) and starts; resolves once the device is playing. */
  play(session: CompiledSession): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Soft stop: the device ramps to zero. */
  stop(): Promise<void>;
  /** Immediate zero, ahead of anything queued. Never rejects. */
  emergencyStop(): Promise<void>;
  /**
   * The person's intensity, percent 0..100, while the session uploads, plays, pauses or streams;
   * resolves once the device acknowledged it. Rejects with NoLiveIntensity (412) on a firmware
   * without live intensity (1.0), InvalidOption (603) for a bad value, SessionAborted (402) with no session.
   */
  setIntensity(percent: number): Promise<void>;
}
