/** The `ID` reply as the controller's DeviceInfo. */
import { Capability, type MessageOf } from "../../protocol/commands.ts";
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
    vibrationCap: id.vibCap / 1000,
    rotationCap: id.rotCap / 1000,
    stopByte: (id.caps & Capability.StopByte) !== 0,
    gain: (id.caps & Capability.Gain) !== 0,
  };
}
