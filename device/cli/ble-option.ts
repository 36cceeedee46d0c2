/** The CLI side of `--hci SPEC` for `play --device ble[:NAME]`, `scan` and `simulate --ble`. */
import { HCI_ENV, resolveHciSpec } from "../transport/ble/hci-spec.ts";
import { bleScheme } from "../transport/ble/scheme.ts";
import { registerDeviceScheme } from "../transport/from-spec.ts";

/** Help text of the `--hci` option. */
export const HCI_OPTION_HELP = `Bluetooth controller: default, hci0, or uart:PORT[@BAUD] (env ${HCI_ENV})`;

/** For a `ble` device with `--hci`: registers the scheme on that controller (checked here, before anything opens). */
export function prepareBleDevice(device: string, hci: string | undefined): void {
  if (hci === undefined || (device !== "ble" && !device.startsWith("ble:"))) return;
  registerDeviceScheme("ble", bleScheme(resolveHciSpec(hci, process.env)));
}
