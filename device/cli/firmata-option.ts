/** The CLI side of `--device firmata:PATH --pins MAP`: the pin map and the watchdog warning. */
import { FIRMATA_NO_WATCHDOG_WARNING } from "../firmata/firmata-transport.ts";
import { type FirmataPinMap, resolvePinMap } from "../firmata/pin-map.ts";

/** Help text of the `--pins` option. */
export const PINS_OPTION_HELP = "motor pins for firmata: devices: vib=10,rot=9,dir=7[,cdir=8][,stby=4], or a JSON file";

/**
 * For a `firmata:` device: reads the pin map (NoPinMap, with an example, when there is none),
 * for defaultDeviceSchemes({ pins }), and says plainly that Firmata has no device watchdog.
 * Other devices: undefined, and `--pins` is not read.
 */
export async function prepareFirmataDevice(
  device: string,
  pins: string | undefined,
): Promise<FirmataPinMap | undefined> {
  if (!device.startsWith("firmata:") && device !== "firmata") return undefined;
  const map = await resolvePinMap(pins);
  process.stderr.write(`massager: note: ${FIRMATA_NO_WATCHDOG_WARNING}\n`);
  return map;
}
