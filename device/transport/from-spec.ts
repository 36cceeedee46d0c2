/**
 * `--device` specs to transport factories:
 *
 *   sim              the simulated massager in this process (default)
 *   serial:PATH      a serial port, e.g. serial:/dev/ttyUSB0 or serial:/dev/pts/4
 *   tcp:HOST:PORT    a simulator or bridge listening on TCP, e.g. tcp:127.0.0.1:7878
 *   ble[:NAME]       a massager over Bluetooth LE: the first found, or by name or address
 *
 * Other transports plug in as schemes: add an entry to SCHEMES (firmata:PATH, ble[:NAME]) or
 * call registerDeviceScheme() before parsing.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Clock } from "../clock.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../simulator/in-process.ts";
import type { SimulatedDeviceOptions } from "../simulator/simulated-device.ts";
import { bleScheme } from "./ble/scheme.ts";
import { SerialTransport } from "./serial.ts";
import { TcpTransport } from "./tcp.ts";
import type { TransportFactory } from "./transport.ts";

export interface DeviceTarget {
  /** The spec's scheme: `sim`, `serial`, `tcp`, ... */
  scheme: string;
  description: string;
  /** A fresh transport per connection attempt. */
  transport: TransportFactory;
  /** For `sim`: the simulated device itself, with its record of applied outputs. */
  simulator?: InProcessSimulator;
  /** Releases what the target holds (stops an in-process simulator). */
  dispose(): void;
}

export interface SpecContext {
  clock: Clock;
  /** Options for an in-process simulator (`sim`). */
  simulator?: Omit<SimulatedDeviceOptions, "clock">;
}

/** Makes a target from the text after `scheme:` (empty for a bare `scheme`). */
export type SchemeResolver = (rest: string, context: SpecContext) => DeviceTarget;

const SCHEMES = new Map<string, SchemeResolver>([
  ["sim", simTarget],
  ["serial", serialTarget],
  ["tcp", tcpTarget],
  // noble is loaded only when a ble transport opens; `--hci` registers this scheme again with its controller.
  ["ble", bleScheme()],
  // firmata:PATH is registered by its module (registerDeviceScheme).
]);

/** Adds (or replaces) a scheme, e.g. `firmata` or `ble`. */
export function registerDeviceScheme(scheme: string, resolver: SchemeResolver): void {
  SCHEMES.set(scheme, resolver);
}

/** The schemes known now, for help texts. */
export function deviceSchemes(): string[] {
  return [...SCHEMES.keys()];
}

/** Parses a `--device` spec; throws InvalidOption naming the accepted forms. */
export function deviceFromSpec(spec: string, context: SpecContext): DeviceTarget {
  const colon = spec.indexOf(":");
  const scheme = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? "" : spec.slice(colon + 1);
  const resolver = SCHEMES.get(scheme);
  if (resolver === undefined) throw badSpec(spec, `unknown kind of device "${scheme}"`);
  return resolver(rest, context);
}

function simTarget(rest: string, context: SpecContext): DeviceTarget {
  if (rest !== "") throw badSpec(`sim:${rest}`, "sim takes no argument");
  const simulator = createInProcessSimulator({ ...context.simulator, clock: context.clock });
  return {
    scheme: "sim",
    description: "the built-in simulator",
    transport: simulator.connect,
    simulator,
    dispose: () => simulator.device.stop(),
  };
}

function serialTarget(path: string): DeviceTarget {
  if (path === "") throw badSpec("serial:", "serial needs a port path, like serial:/dev/ttyUSB0");
  return {
    scheme: "serial",
    description: `serial:${path}`,
    transport: () => new SerialTransport({ path }),
    dispose: () => {},
  };
}

function tcpTarget(rest: string): DeviceTarget {
  const match = /^(.+):(\d{1,5})$/.exec(rest);
  const port = Number(match?.[2]);
  if (!match || !(port >= 1 && port <= 65_535)) throw badSpec(`tcp:${rest}`, "tcp needs HOST:PORT");
  const host = (match[1] as string).replace(/^\[(.*)\]$/, "$1");
  return {
    scheme: "tcp",
    description: `tcp:${host}:${port}`,
    transport: () => new TcpTransport({ host, port }),
    dispose: () => {},
  };
}

function badSpec(spec: string, why: string): MassagerError {
  return new MassagerError(ErrorCode.InvalidOption, `--device ${spec}: ${why}`, {
    hint: `use one of: sim, serial:PATH, tcp:HOST:PORT${[...SCHEMES.keys()]
      .filter((s) => !["sim", "serial", "tcp"].includes(s))
      .map((s) => `, ${s}:...`)
      .join("")}`,
  });
}
