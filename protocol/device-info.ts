/**
 * What a device says of itself, its `ID` reply, in host units: caps as 0..1, capability bits as
 * flags. The one device-limits shape on the host: the compiler's DeviceLimits and the
 * controller's program limits are Picks of it; on the wire it is the ID frame (commands.ts),
 * which the reference device's capabilities are too.
 */
import { Capability, type MessageOf } from "./commands.ts";
import { FULL_SCALE } from "./limits.ts";

/** A device's pin map and build options, its `PN` reply (protocol 1.1, capability Pins). */
export type PinReport = Omit<MessageOf<"PN">, "type" | "seq">;

export interface DeviceInfo {
  protocol: number;
  firmware: string;
  vibration: boolean;
  rotation: boolean;
  /** Can play uploaded programs; when false the controller streams setpoints. */
  program: boolean;
  stream: boolean;
  pwmBits: number;
  /** Blocks the device stores in one program. */
  maxBlocks: number;
  /** Keyframes it stores in one program, over all blocks and both tracks. */
  maxKeys: number;
  watchdogMs: number;
  /** Longest session the device allows, s. */
  maxSessionS: number;
  slewMs: number;
  /** Its hard vibration cap, 0..1. */
  vibrationCap: number;
  /** Its hard rotation-speed cap, 0..1, in either direction. */
  rotationCap: number;
  /** Protocol 1.1: acts on the one-byte emergency stop (STOP_BYTE) the moment it arrives. */
  stopByte: boolean;
  /** Protocol 1.1: has a live gain (`GAIN`), so the intensity can change while a session plays. */
  gain: boolean;
}

/** The `ID` reply as a DeviceInfo. */
export function deviceInfoFromId(id: MessageOf<"ID">): DeviceInfo {
  return {
    protocol: id.proto,
    firmware: id.firmware,
    vibration: (id.caps & Capability.Vibration) !== 0,
    rotation: (id.caps & Capability.Rotation) !== 0,
    program: (id.caps & Capability.Program) !== 0,
    stream: (id.caps & Capability.Stream) !== 0,
    pwmBits: id.pwmBits,
    maxBlocks: id.maxBlocks,
    maxKeys: id.maxKeys,
    watchdogMs: id.watchdogMs,
    maxSessionS: id.maxSessionS,
    slewMs: id.slewMs,
    vibrationCap: id.vibCap / FULL_SCALE,
    rotationCap: id.rotCap / FULL_SCALE,
    stopByte: (id.caps & Capability.StopByte) !== 0,
    gain: (id.caps & Capability.Gain) !== 0,
  };
}
