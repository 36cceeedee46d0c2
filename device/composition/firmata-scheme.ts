/**
 * `--device firmata:PATH` for the device-spec parser. The pin map comes from the caller (the
 * CLI's `--pins`); without one the spec is refused before anything opens. A board that does
 * not answer Firmata is asked whether it runs the massager firmware (hw/port-diagnosis.ts).
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { FirmataTransport } from "../firmata/firmata-transport.ts";
import { type FirmataPinMap, noPinMapError } from "../firmata/pin-map.ts";
import { explainSilentFirmataPort } from "../hw/port-diagnosis.ts";
import type { DeviceTarget, SchemeResolver } from "./device-spec.ts";

/** A resolver for `firmata:PATH` that drives the given pins. */
export function firmataScheme(pins: FirmataPinMap | undefined): SchemeResolver {
  return (path, context): DeviceTarget => {
    if (path === "") {
      throw new MassagerError(
        ErrorCode.InvalidOption,
        "--device firmata: needs the board's port, like firmata:/dev/ttyACM0",
        {
          hint: "run `massager ports` to see the serial ports",
        },
      );
    }
    if (pins === undefined) throw noPinMapError();
    return {
      scheme: "firmata",
      description: `firmata:${path}`,
      transport: () =>
        new FirmataTransport({ path, pins, clock: context.clock, explainSilence: explainSilentFirmataPort }),
      dispose: () => {},
    };
  };
}
