/** The limits a session is compiled against for a device, from what it said of itself. */
import type { DeviceLimits } from "../../patterns/compiler.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";

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
