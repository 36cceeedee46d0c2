/** The CLI side of `--hci SPEC` for `play --device ble[:NAME]`, `scan` and `simulate --ble`. */
import { HCI_ENV, type HciSpec, resolveHciSpec } from "../transport/ble/hci-spec.ts";

/** Help text of the `--hci` option. */
export const HCI_OPTION_HELP = `Bluetooth controller: default, hci0, or uart:PORT[@BAUD] (env ${HCI_ENV})`;

/**
 * For a `ble` device with `--hci`: that controller, for defaultDeviceSchemes({ hci }) (checked
 * here, before anything opens). Otherwise undefined: the scheme's own default.
 */
export function prepareBleDevice(device: string, hci: string | undefined): HciSpec | undefined {
  if (hci === undefined || (device !== "ble" && !device.startsWith("ble:"))) return undefined;
  return resolveHciSpec(hci, process.env);
}
