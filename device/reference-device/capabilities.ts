/** What a DeviceCore (the simulator, the Firmata bridge) says of itself in `ID`, in wire units. Every field can be overridden. */
import { Capability, type MessageOf } from "../../protocol/commands.ts";
import type { PinReport } from "../../protocol/device-info.ts";
import { FULL_SCALE, PROTOCOL_VERSION } from "../../protocol/limits.ts";

/**
 * ID's fields without its seq (PROTOCOL.md, "ID"): caps as Capability bits, output caps
 * 0..FULL_SCALE, slewMs the time a full-scale change takes (0: no limit). The host reads the
 * same frame as a DeviceInfo (protocol/device-info.ts).
 */
export type DeviceCapabilities = Omit<MessageOf<"ID">, "type" | "seq">;

/** What a protocol 1.0 device (firmware 1.0.x) could do. */
const CAPABILITIES_1_0 = Capability.Vibration | Capability.Rotation | Capability.Program | Capability.Stream;

/** Everything DeviceCore can do: 1.0's capabilities, the stop byte, GAIN and PINS (protocol 1.1). */
export const ALL_CAPABILITIES = CAPABILITIES_1_0 | Capability.StopByte | Capability.Gain | Capability.Pins;

/** The massager firmware's default build (device/firmware/massager/pins.h), as the simulator reports it by default. */
export const DEFAULT_PINS: Readonly<PinReport> = Object.freeze({
  drv: "PD",
  vib: 10,
  rot: 9,
  cw: 7,
  ccw: 8,
  stby: 4,
  pwmHz: 20_000,
});

/** The version this build's devices report in ID (the firmware's too: its config is generated to match). */
export const FIRMWARE_VERSION = "1.1.0";

/** What a 1.0 device reports (DeviceCore's `protocol: "1.0"`). */
export const PROTOCOL_1_0_CAPABILITIES: Readonly<Partial<DeviceCapabilities>> = Object.freeze({
  firmware: "1.0.0",
  caps: CAPABILITIES_1_0,
});

const DEFAULT_CAPABILITIES: Readonly<DeviceCapabilities> = Object.freeze({
  proto: PROTOCOL_VERSION,
  firmware: FIRMWARE_VERSION,
  caps: ALL_CAPABILITIES,
  pwmBits: 8,
  maxBlocks: 16,
  maxKeys: 96,
  watchdogMs: 1000,
  maxSessionS: 3600,
  slewMs: 400,
  vibCap: FULL_SCALE,
  rotCap: FULL_SCALE,
});

/** The defaults with `overrides` applied. */
export function deviceCapabilities(overrides: Partial<DeviceCapabilities> = {}): DeviceCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...overrides };
}
