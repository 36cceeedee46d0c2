import { describe, expect, it } from "vitest";
import { grantsBoardAccess } from "../../device/cli/commands/doctor.ts";

describe("doctor's udev check", () => {
  it("accepts the README's rule and one that gives a CH340 clone to the user's seat", () => {
    expect(
      grantsBoardAccess(
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="2341", ATTRS{idProduct}=="0043", SYMLINK+="massager", GROUP="dialout", ENV{ID_MM_DEVICE_IGNORE}="1"',
      ),
    ).toBe(true);
    expect(grantsBoardAccess('SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", TAG+="uaccess"')).toBe(true);
  });

  it("ignores rules that only tag a board's vendor (upower's Watts Up rule) and commented-out rules", () => {
    expect(
      grantsBoardAccess(
        'SUBSYSTEM=="tty", SUBSYSTEMS=="usb", ATTRS{idVendor}=="0403", ATTRS{idProduct}=="6001", ENV{UPOWER_VENDOR}="Watts Up, Inc."',
      ),
    ).toBe(false);
    expect(grantsBoardAccess('# SUBSYSTEM=="tty", ATTRS{idVendor}=="2341", GROUP="dialout"')).toBe(false);
  });
});
