/** What a simulated device says of itself in `ID`, in wire units. Every field can be overridden. */
import { Capability } from "../../protocol/commands.ts";
import { PROTOCOL_VERSION } from "../../protocol/limits.ts";

export interface DeviceCapabilities {
  /** Protocol version reported in `ID`. */
  proto: number;
  /** Firmware version `major.minor.patch`. */
  firmware: string;
  /** Capability bits (Capability.Vibration | Rotation | Program | Stream). */
  caps: number;
  pwmBits: number;
  /** Most blocks a stored program may have. */
  maxBlocks: number;
  /** Most keyframes a stored program may have, over all blocks and both tracks. */
  maxKeys: number;
  /** Heartbeat watchdog period, ms. */
  watchdogMs: number;
  /** Longest session the device allows, s. */
  maxSessionS: number;
  /** Time a full-scale change takes under the slew limit, ms (0: no limit). */
  slewMs: number;
  /** Hard output caps, 0..1000. */
  vibCap: number;
  rotCap: number;
}

export const ALL_CAPABILITIES = Capability.Vibration | Capability.Rotation | Capability.Program | Capability.Stream;

export const DEFAULT_CAPABILITIES: Readonly<DeviceCapabilities> = Object.freeze({
  proto: PROTOCOL_VERSION,
  firmware: "1.0.0",
  caps: ALL_CAPABILITIES,
  pwmBits: 8,
  maxBlocks: 16,
  maxKeys: 96,
  watchdogMs: 1000,
  maxSessionS: 3600,
  slewMs: 400,
  vibCap: 1000,
  rotCap: 1000,
});

/** The defaults with `overrides` applied. */
export function deviceCapabilities(overrides: Partial<DeviceCapabilities> = {}): DeviceCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...overrides };
}
