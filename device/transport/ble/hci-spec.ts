/**
 * Which Bluetooth controller noble and bleno drive, from `--hci SPEC` or `MASSAGER_HCI`:
 *
 *   (unset) | default     the platform's own: hci0 on Linux, CoreBluetooth on macOS, WinRT on Windows
 *   hci0 | hci:1          a Linux HCI adapter by number
 *   uart:/dev/ttyACM0     an HCI controller on a serial line (a Zephyr hci_uart board, btvirt via socat)
 *   uart:/dev/ttyACM0@115200   the same at a given baud rate (default 1000000)
 */
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

export type HciSpec =
  | { kind: "default" }
  | { kind: "native"; deviceId: number }
  | { kind: "uart"; port: string; baudRate: number };

/** The environment variable read when no `--hci` is given. */
export const HCI_ENV = "MASSAGER_HCI";

/** UART HCI controllers (Zephyr's hci_uart, nRF boards) default to 1 Mbaud. */
const DEFAULT_UART_BAUD = 1_000_000;

const EXAMPLES = "use --hci default, --hci hci0 or --hci uart:/dev/ttyACM0[@1000000]";

/** Reads an HCI spec; throws InvalidOption naming the accepted forms. */
export function parseHciSpec(text: string): HciSpec {
  const spec = text.trim();
  if (spec === "" || spec === "default") return { kind: "default" };
  const native = /^hci:?(\d{1,2})$/.exec(spec);
  if (native) return { kind: "native", deviceId: Number(native[1]) };
  if (spec.startsWith("uart:")) {
    const [port = "", baud, ...rest] = spec.slice("uart:".length).split("@");
    const baudRate = baud === undefined ? DEFAULT_UART_BAUD : Number(baud);
    if (port !== "" && rest.length === 0 && Number.isInteger(baudRate) && baudRate > 0) {
      return { kind: "uart", port, baudRate };
    }
  }
  throw new MassagerError(ErrorCode.InvalidOption, `"${text}" is not a Bluetooth controller`, { hint: EXAMPLES });
}

/** The spec from `--hci` if given, else from MASSAGER_HCI, else the platform default. */
export function resolveHciSpec(option: string | undefined, env: Record<string, string | undefined>): HciSpec {
  return parseHciSpec(option ?? env[HCI_ENV] ?? "default");
}

/** Names the controller in messages, e.g. `uart:/dev/pts/3` or `hci0`. */
export function describeHci(spec: HciSpec): string {
  switch (spec.kind) {
    case "default":
      return "the default Bluetooth adapter";
    case "native":
      return `hci${spec.deviceId}`;
    case "uart":
      return `uart:${spec.port}`;
  }
}
