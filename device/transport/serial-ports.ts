/**
 * Lists the machine's serial ports. serialport's own listing asks `udevadm` on Linux, which
 * containers, minimal installs and WSL lack ("spawn udevadm ENOENT"); there the same facts are
 * read from sysfs (`/sys/class/tty/<name>/device`, the USB device's `idVendor`/`idProduct`) and
 * `/dev/serial/by-id`, so listing a port never needs a tool the machine may not have.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** One serial port, in serialport's `PortInfo` shape (the ids lower-case hex without `0x`). */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  /** The `/dev/serial/by-id` name, when udev made one. */
  pnpId?: string;
  vendorId?: string;
  productId?: string;
}

export interface SerialPortListing {
  ports: SerialPortInfo[];
  /** Who listed them: serialport's binding, or this module's sysfs reader. */
  source: "serialport" | "sysfs";
  /** Why serialport's listing was not used, in one line (for `doctor`). */
  fallbackReason?: string;
}

/** USB vendor ids of the boards and USB-serial chips a massager usually sits behind, with a name to show. */
export const USB_SERIAL_VENDORS: Readonly<Record<string, string>> = {
  "2341": "Arduino",
  "2a03": "Arduino",
  "1a86": "CH340 USB serial",
  "0403": "FTDI USB serial",
  "10c4": "CP210x USB serial",
  "239a": "Adafruit",
};

/** Vendors whose boards usually run an Arduino sketch (Arduino and the chips on its clones). */
const ARDUINO_VENDORS = new Set(["2341", "2a03", "1a86", "0403", "10c4"]);

/** Whether the port looks like an Arduino board (by its USB vendor id). */
export function isArduinoLike(port: SerialPortInfo): boolean {
  return ARDUINO_VENDORS.has((port.vendorId ?? "").toLowerCase());
}

/** The device names serialport lists on Linux; the same set here, so both listings agree. */
const SERIAL_NAME = /^(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)\d|rfcomm\d)/;

/** Where the sysfs reader looks; tests point it at a fixture tree. */
export interface SysfsRoots {
  sysClassTty: string;
  serialById: string;
  dev: string;
}

const SYSTEM_ROOTS: SysfsRoots = { sysClassTty: "/sys/class/tty", serialById: "/dev/serial/by-id", dev: "/dev" };

/** Lists the ports with serialport; where that fails on Linux, reads sysfs instead. Never rejects on Linux. */
export async function listSerialPorts(roots: SysfsRoots = SYSTEM_ROOTS): Promise<SerialPortListing> {
  try {
    const { SerialPort } = await import("serialport");
    const ports = await SerialPort.list();
    return { ports: ports.map(fromSerialport), source: "serialport" };
  } catch (error) {
    if (process.platform !== "linux") throw error;
    return {
      ports: listSysfsSerialPorts(roots),
      source: "sysfs",
      fallbackReason: describeListingFailure(error as Error),
    };
  }
}

/** serialport's PortInfo: the same fields, each possibly undefined. */
type Listed = { path: string } & { [K in Exclude<keyof SerialPortInfo, "path">]?: string | undefined };

function fromSerialport(port: Listed): SerialPortInfo {
  const info: SerialPortInfo = { path: port.path };
  assign(info, "manufacturer", port.manufacturer);
  assign(info, "serialNumber", port.serialNumber);
  assign(info, "pnpId", port.pnpId);
  assign(info, "vendorId", port.vendorId?.toLowerCase());
  assign(info, "productId", port.productId?.toLowerCase());
  return info;
}

/** One line saying why serialport could not list: a missing udevadm is named as such. */
function describeListingFailure(error: Error): string {
  if (/udevadm/.test(error.message) && /ENOENT/.test(error.message)) {
    return "udevadm is not installed (no udev on this machine)";
  }
  return error.message.split("\n")[0] ?? "unknown error";
}

/** The serial ports sysfs knows of: real devices only (a tty with a `device` link), sorted by path. */
export function listSysfsSerialPorts(roots: SysfsRoots = SYSTEM_ROOTS): SerialPortInfo[] {
  const byId = serialByIdNames(roots);
  const ports: SerialPortInfo[] = [];
  for (const name of safeReaddir(roots.sysClassTty)) {
    if (!SERIAL_NAME.test(name)) continue;
    const deviceDir = safeRealpath(join(roots.sysClassTty, name, "device"));
    if (!deviceDir) continue;
    // The 8250 driver registers ttyS0..31 whether or not a UART exists; an empty one has port type 0.
    if (name.startsWith("ttyS") && readText(join(roots.sysClassTty, name, "type")) === "0") continue;
    const port: SerialPortInfo = { path: join(roots.dev, name) };
    const usb = usbDeviceOf(deviceDir);
    if (usb) {
      assign(port, "vendorId", readText(join(usb, "idVendor"))?.toLowerCase());
      assign(port, "productId", readText(join(usb, "idProduct"))?.toLowerCase());
      assign(port, "manufacturer", readText(join(usb, "manufacturer")));
      assign(port, "serialNumber", readText(join(usb, "serial")));
    }
    assign(port, "pnpId", byId.get(name));
    ports.push(port);
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}

/** The nearest ancestor of a tty's device folder that is a USB device (it has an `idVendor`). */
function usbDeviceOf(deviceDir: string): string | undefined {
  let dir = deviceDir;
  for (let depth = 0; depth < 8 && dir !== dirname(dir); depth++) {
    if (readText(join(dir, "idVendor")) !== undefined) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** `/dev/serial/by-id/<id>` links, keyed by the tty name they point to. */
function serialByIdNames(roots: SysfsRoots): Map<string, string> {
  const names = new Map<string, string>();
  for (const id of safeReaddir(roots.serialById)) {
    try {
      names.set(basename(readlinkSync(join(roots.serialById, id))), id);
    } catch {
      // Not a link: nothing to learn from it.
    }
  }
  return names;
}

function assign<K extends keyof SerialPortInfo>(port: SerialPortInfo, key: K, value: string | undefined): void {
  if (value) port[key] = value;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
