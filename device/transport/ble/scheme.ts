/**
 * `--device ble` (the first massager found) and `--device ble:NAME-OR-ADDRESS` for the
 * device-spec parser. The controller comes from `--hci` (device/device-schemes.ts builds the
 * scheme with it) or MASSAGER_HCI.
 */
import { BleTransport } from "../ble.ts";
import type { DeviceTarget, SchemeResolver } from "../from-spec.ts";
import { type HciSpec, resolveHciSpec } from "./hci-spec.ts";
import type { BleOptions } from "./options.ts";

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
