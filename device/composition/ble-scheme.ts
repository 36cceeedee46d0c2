/**
 * `--device ble` (the first massager found) and `--device ble:NAME-OR-ADDRESS` for the
 * device-spec parser. The controller comes from `--hci` (device-schemes.ts builds the
 * scheme with it) or MASSAGER_HCI.
 */

import { type HciSpec, resolveHciSpec } from "../transport/ble/hci-spec.ts";
import type { BleOptions } from "../transport/ble/options.ts";
import { BleTransport } from "../transport/ble.ts";
import type { DeviceTarget, SchemeResolver } from "./device-spec.ts";

/** A resolver for `ble[:TARGET]` on `hci` (default: MASSAGER_HCI, else the platform's adapter). */
export function bleScheme(hci?: HciSpec, overrides: Partial<BleOptions> = {}): SchemeResolver {
  return (rest): DeviceTarget => {
    const target = rest.trim() === "" ? undefined : rest.trim();
    const controller = hci ?? resolveHciSpec(undefined, process.env);
    return {
      scheme: "ble",
      description: target === undefined ? "the first massager found over Bluetooth" : `ble:${target}`,
      transport: () => new BleTransport({ ...overrides, hci: controller, target }),
      dispose: () => {},
    };
  };
}
