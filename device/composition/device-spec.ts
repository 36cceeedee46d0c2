/**
 * `--device` specs to transport factories. The schemes come in as a map the caller passes
 * (device-schemes.ts beside it builds the one the CLI and the app use); this module only parses
 * `scheme[:rest]` and knows the two plain byte-stream schemes:
 *
 *   serial:PATH      a serial port, e.g. serial:/dev/ttyUSB0 or serial:/dev/pts/4
 *   tcp:HOST:PORT    a simulator or bridge listening on TCP, e.g. tcp:127.0.0.1:7878
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Clock } from "../clock.ts";
import { SerialTransport } from "../transport/serial.ts";
import { TcpTransport } from "../transport/tcp.ts";
import type { TransportFactory } from "../transport/transport.ts";

export interface DeviceTarget {
  /** The spec's scheme: `sim`, `serial`, `tcp`, ... */
  scheme: string;
  description: string;
  /** A fresh transport per connection attempt. */
  transport: TransportFactory;
  /** Releases what the target holds (stops an in-process simulator). */
  dispose(): void;
}

export interface SpecContext {
  clock: Clock;
}

/** Makes a target from the text after `scheme:` (empty for a bare `scheme`). */
export type SchemeResolver<T extends DeviceTarget = DeviceTarget> = (rest: string, context: SpecContext) => T;

/** Parses a `--device` spec with `schemes`; throws InvalidOption naming the accepted forms. */
export function deviceFromSpec<T extends DeviceTarget>(
  spec: string,
  context: SpecContext,
  schemes: ReadonlyMap<string, SchemeResolver<T>>,
): T {
  const colon = spec.indexOf(":");
  const scheme = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? "" : spec.slice(colon + 1);
  const resolver = schemes.get(scheme);
  if (resolver === undefined && looksLikePortPath(spec)) {
    throw new MassagerError(
      ErrorCode.InvalidOption,
      `--device ${spec}: a port path needs its kind of device in front`,
      {
        hint: `write --device serial:${spec} for the massager firmware, or --device firmata:${spec} --pins ... for StandardFirmata`,
      },
    );
  }
  if (resolver === undefined) throw badSpec(spec, `unknown kind of device "${scheme}"`, schemes.keys());
  return resolver(rest, context);
}

/** `serial:PATH`. */
export function serialScheme(path: string): DeviceTarget {
  if (path === "") throw badSpec("serial:", "serial needs a port path, like serial:/dev/ttyUSB0");
  return {
    scheme: "serial",
    description: `serial:${path}`,
    transport: () => new SerialTransport({ path }),
    dispose: () => {},
  };
}

/** `tcp:HOST:PORT` (an IPv6 host in brackets). */
export function tcpScheme(rest: string): DeviceTarget {
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

/** How each known kind of device is written, for the hint. */
const SPEC_FORMS: Readonly<Record<string, string>> = {
  sim: "sim",
  serial: "serial:PATH",
  tcp: "tcp:HOST:PORT",
  ble: "ble[:NAME]",
  firmata: "firmata:PATH --pins MAP",
};

/** A serial port given bare: /dev/ttyACM0, /dev/cu.usbmodem1101, COM3. */
function looksLikePortPath(spec: string): boolean {
  return spec.startsWith("/dev/") || /^COM\d+$/i.test(spec);
}

/** The error for a spec that does not parse; `schemes` are the ones known (for the hint). */
export function badSpec(spec: string, why: string, schemes: Iterable<string> = []): MassagerError {
  const known = new Set(["sim", "serial", "tcp", ...schemes]);
  return new MassagerError(ErrorCode.InvalidOption, `--device ${spec}: ${why}`, {
    hint: `use one of: ${[...known].map((scheme) => SPEC_FORMS[scheme] ?? `${scheme}:...`).join(", ")}`,
  });
}
