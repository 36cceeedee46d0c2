/**
 * Where a `--device` spec's scheme becomes a device: the composition root of the device
 * schemes. It builds a fresh scheme map from what the caller knows (`--hci`, `--pins`), which
 * the CLI and the app pass to deviceFromSpec (device-spec.ts); no module keeps a
 * registry that one command changes for another.
 *
 *   sim              the simulated massager in this process (simulator/in-process.ts), the default
 *   serial:PATH      transport/serial.ts
 *   tcp:HOST:PORT    transport/tcp.ts
 *   ble[:NAME]       transport/ble.ts on the `hci` controller (ble-scheme.ts): the first massager found, or by name or address
 *   firmata:PATH     firmata/firmata-transport.ts driving `pins` (firmata-scheme.ts) (refused, naming --pins, without them)
 *
 * composition/ is the one place that knows every kind of device; transport/, simulator/ and
 * firmata/ know nothing of specs. It is not in app/ because the CLI's `play` uses it too and
 * loads nothing from app/ (test/cli/lazy-commands.test.ts).
 */

import type { FirmataPinMap } from "../firmata/pin-map.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../simulator/in-process.ts";
import type { SimulatedDeviceOptions } from "../simulator/simulated-device.ts";
import type { HciSpec } from "../transport/ble/hci-spec.ts";
import { bleScheme } from "./ble-scheme.ts";
import {
  badSpec,
  type DeviceTarget,
  type SchemeResolver,
  type SpecContext,
  serialScheme,
  tcpScheme,
} from "./device-spec.ts";
import { firmataScheme } from "./firmata-scheme.ts";

/** A device a spec resolved to; for `sim`, with the simulated device itself (its motors, its record). */
export interface ResolvedDevice extends DeviceTarget {
  simulator?: InProcessSimulator;
}

/** The scheme map deviceFromSpec takes. */
export type DeviceSchemes = ReadonlyMap<string, SchemeResolver<ResolvedDevice>>;

export interface DeviceSchemeOptions {
  /** The Bluetooth controller for `ble` (default: MASSAGER_HCI, else the platform's adapter). */
  hci?: HciSpec | undefined;
  /** The motor pins for `firmata:` (`--pins`). */
  pins?: FirmataPinMap | undefined;
  /** For `sim`. Default: no record of every output change kept (a long session would grow it). */
  simulator?: Omit<SimulatedDeviceOptions, "clock">;
  /** More schemes, e.g. a test's transport that fails on purpose; they win over the ones above. */
  extra?: DeviceSchemes | undefined;
}

/** A fresh map of every scheme the CLI and the app know. */
export function defaultDeviceSchemes(options: DeviceSchemeOptions = {}): DeviceSchemes {
  const simulator = options.simulator ?? { keepRecord: false };
  return new Map<string, SchemeResolver<ResolvedDevice>>([
    ["sim", (rest, context) => simScheme(rest, context, simulator)],
    ["serial", serialScheme],
    ["tcp", tcpScheme],
    // noble is loaded only when a ble transport opens.
    ["ble", bleScheme(options.hci)],
    ["firmata", firmataScheme(options.pins)],
    ...(options.extra ?? []),
  ]);
}

function simScheme(rest: string, context: SpecContext, options: Omit<SimulatedDeviceOptions, "clock">): ResolvedDevice {
  if (rest !== "") throw badSpec(`sim:${rest}`, "sim takes no argument");
  const simulator = createInProcessSimulator({ ...options, clock: context.clock });
  return {
    scheme: "sim",
    description: "the built-in simulator",
    transport: simulator.connect,
    simulator,
    dispose: () => simulator.device.stop(),
  };
}
