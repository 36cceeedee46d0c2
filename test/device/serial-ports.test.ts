import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isArduinoLike, listSysfsSerialPorts, type SysfsRoots } from "../../device/transport/serial-ports.ts";

/**
 * A sysfs tree as Linux lays it out for an Arduino Uno (cdc_acm), a CH340 clone (ch341) and the
 * PC's own UART, plus the 8250 driver's placeholders and a virtual console, which are not ports.
 */
function fakeMachine(root: string): SysfsRoots {
  const sys = join(root, "sys");
  const usbDevice = (bus: string, ids: Record<string, string>) => {
    const dir = join(sys, "devices/pci0000:00/0000:00:14.0", bus);
    mkdirSync(join(dir, `${bus}:1.0`), { recursive: true });
    for (const [file, text] of Object.entries(ids)) writeFileSync(join(dir, file), `${text}\n`);
    return join(dir, `${bus}:1.0`);
  };
  const uno = usbDevice("usb1/1-1", {
    idVendor: "2341",
    idProduct: "0043",
    manufacturer: "Arduino (www.arduino.cc)",
    serial: "75830333238351F0A1C1",
  });
  const clone = usbDevice("usb1/1-2", { idVendor: "1a86", idProduct: "7523" });
  const uart = join(sys, "devices/pnp0/00:00");
  mkdirSync(uart, { recursive: true });
  const tty = (name: string, device?: string, type?: string) => {
    const dir = join(sys, "class/tty", name);
    mkdirSync(dir, { recursive: true });
    if (device) symlinkSync(device, join(dir, "device"));
    if (type) writeFileSync(join(dir, "type"), `${type}\n`);
  };
  tty("ttyACM0", uno);
  tty("ttyUSB0", join(clone, "ttyUSB0"));
  mkdirSync(join(clone, "ttyUSB0"));
  tty("ttyS0", uart, "4");
  tty("ttyS1");
  tty("ttyS2", uart, "0");
  tty("tty0");
  const byId = join(root, "dev/serial/by-id");
  mkdirSync(byId, { recursive: true });
  symlinkSync("../../ttyACM0", join(byId, "usb-Arduino__www.arduino.cc__0043_75830333238351F0A1C1-if00"));
  return { sysClassTty: join(sys, "class/tty"), serialById: byId, dev: "/dev" };
}

const root = mkdtempSync(join(tmpdir(), "massager-sysfs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("listing serial ports from sysfs (no udev)", () => {
  it("finds the USB boards with their ids and by-id name, and the real UART, and nothing else", () => {
    const ports = listSysfsSerialPorts(fakeMachine(root));
    expect(ports).toEqual([
      {
        path: "/dev/ttyACM0",
        vendorId: "2341",
        productId: "0043",
        manufacturer: "Arduino (www.arduino.cc)",
        serialNumber: "75830333238351F0A1C1",
        pnpId: "usb-Arduino__www.arduino.cc__0043_75830333238351F0A1C1-if00",
      },
      { path: "/dev/ttyS0" },
      { path: "/dev/ttyUSB0", vendorId: "1a86", productId: "7523" },
    ]);
    expect(ports.filter(isArduinoLike).map((p) => p.path)).toEqual(["/dev/ttyACM0", "/dev/ttyUSB0"]);
  });

  it("is empty, not an error, where sysfs has no tty folder", () => {
    const missing = join(root, "nothing");
    expect(listSysfsSerialPorts({ sysClassTty: missing, serialById: missing, dev: "/dev" })).toEqual([]);
  });
});
