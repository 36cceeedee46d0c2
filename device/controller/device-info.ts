/** The `ID` reply as the controller's DeviceInfo, and the limits a session is compiled against for it. */
import type { DeviceLimits } from "../../patterns/compiler.ts";
import { Capability, type MessageOf } from "../../protocol/commands.ts";
import { FULL_SCALE } from "../../protocol/limits.ts";
import type { DeviceInfo } from "./types.ts";

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

/** The most one `LOAD` announces (its blocks and keys fields). */
const MAX_LOAD_BLOCKS = 255;
const MAX_LOAD_KEYS = 65_535;

/**
 * What a session is compiled against for this device: its program size, caps and live gain.
 * A device that only streams stores no program: the session is then compiled as one program
 * as large as a LOAD allows, so the streamer plays it without chunk ramps.
 */
export function deviceLimitsOf(info: DeviceInfo): DeviceLimits {
  return {
    maxBlocks: info.program ? Math.min(info.maxBlocks, MAX_LOAD_BLOCKS) : MAX_LOAD_BLOCKS,
    maxKeys: info.program ? Math.min(info.maxKeys, MAX_LOAD_KEYS) : MAX_LOAD_KEYS,
    vibrationCap: info.vibrationCap,
    rotationCap: info.rotationCap,
    // A 1.1 device applies the intensity as its gain, so it can change while the session plays.
    gain: info.gain,
  };
}
