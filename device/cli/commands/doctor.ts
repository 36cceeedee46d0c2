/**
 * `massager doctor [--json]`: checks what playing on a real or simulated massager needs on
 * this machine (Bluetooth: ../doctor-bluetooth.ts) and explains each fix. Exit 0 when nothing required is missing, 1 otherwise
 * (missing optional tools are warnings).
 */
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Command } from "commander";
import { probeBoards } from "../../hw/board-probe.ts";
import { listSerialPorts } from "../../transport/serial-ports.ts";
import { checkBluetooth } from "../doctor-bluetooth.ts";
import { ExitCode } from "../exit-codes.ts";

type Level = "ok" | "warn" | "fail";

interface Check {
  level: Level;
  what: string;
  fix?: string;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("Check serial permissions, udev rules, Bluetooth, tools and Node, and explain each fix")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const checks = [
        checkNode(),
        await checkSerialBinding(),
        await checkPortListing(),
        ...checkSerialAccess(),
        checkUdev(),
        ...checkBluetooth(),
        ...checkTools(),
        // Each Arduino on USB: the firmware it runs and its pin map (device/hw/board-probe.ts).
        ...(await probeBoards()),
      ];
      if (options.json) process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
      else {
        for (const check of checks) {
          process.stdout.write(`${check.level.padEnd(4)}  ${check.what}\n`);
          if (check.fix) process.stdout.write(`      fix: ${check.fix}\n`);
        }
      }
      process.exitCode = checks.some((c) => c.level === "fail") ? ExitCode.InvalidInput : ExitCode.Ok;
    });
}

function checkNode(): Check {
  const major = Number(process.versions.node.split(".")[0]);
  return major >= 20
    ? { level: "ok", what: `Node ${process.versions.node}` }
    : { level: "fail", what: `Node ${process.versions.node} is too old`, fix: "install Node 20 or newer" };
}

/** Whether serialport's native addon loads (opening a port needs it; listing does not). */
async function checkSerialBinding(): Promise<Check> {
  try {
    // serialport loads its native addon as it is imported.
    await import("serialport");
    return { level: "ok", what: "the serialport native binding loads" };
  } catch (error) {
    return {
      level: "fail",
      what: `the serialport native binding does not load: ${firstLine(error)}`,
      fix: "reinstall dependencies (npm ci); on an unusual platform approve its build: npm install-scripts approve @serialport/bindings-cpp",
    };
  }
}

/** Lists the ports; names udev as what is missing when the listing had to fall back to sysfs. */
async function checkPortListing(): Promise<Check> {
  try {
    const listing = await listSerialPorts();
    const found = `${listing.ports.length} found`;
    if (listing.source === "serialport") return { level: "ok", what: `serial ports can be listed (${found})` };
    return {
      level: "warn",
      what: `serial ports are listed from /sys instead of udev (${found}): ${listing.fallbackReason}`,
      fix: "optional: sudo apt-get install udev (adds /dev/serial/by-id names and the manufacturer's name); every massager command works without it",
    };
  } catch (error) {
    return {
      level: "fail",
      what: `serial ports cannot be listed: ${firstLine(error)}`,
      fix: "reinstall dependencies (npm ci)",
    };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

function checkSerialAccess(): Check[] {
  const devices = safeList("/dev").filter((name) => /^tty(USB|ACM)\d+$/.test(name));
  if (devices.length === 0) {
    return [
      {
        level: "warn",
        what: "no USB serial device (/dev/ttyUSB*, /dev/ttyACM*) is plugged in",
        fix: "plug the massager in; simulated devices need none",
      },
    ];
  }
  const checks: Check[] = [];
  for (const name of devices) {
    const path = join("/dev", name);
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
      checks.push({ level: "ok", what: `${path} can be opened for reading and writing` });
    } catch {
      const inDialout = userGroups().includes("dialout");
      checks.push({
        level: "fail",
        what: `${path}: permission denied`,
        fix: inDialout
          ? "you are in the dialout group but this session is not: log out and in again"
          : "sudo usermod -aG dialout $USER, then log out and in again (or add a udev rule giving the port to your user)",
      });
    }
  }
  return checks;
}

function checkUdev(): Check {
  if (!onPath("udevadm")) {
    return {
      level: "warn",
      what: "udev is not installed, so no udev rule can name the board or give it to your user",
      fix: "optional: sudo apt-get install udev on a desktop or Raspberry Pi; in a container, pass the port in (docker run --device /dev/ttyACM0)",
    };
  }
  const rules = ["/etc/udev/rules.d", "/lib/udev/rules.d"].flatMap((dir) =>
    safeList(dir).map((file) => join(dir, file)),
  );
  const granting = rules.filter((file) => {
    try {
      return grantsBoardAccess(readFileSync(file, "utf8"));
    } catch {
      return false;
    }
  });
  if (granting.length > 0) return { level: "ok", what: `udev rules for USB serial boards: ${granting.join(", ")}` };
  return {
    level: "warn",
    what: "no udev rule gives an Arduino/CH340/FTDI/CP210x board a group, mode or name",
    fix: 'optional: put SUBSYSTEM=="tty", ATTRS{idVendor}=="2341", SYMLINK+="massager", GROUP="dialout", ENV{ID_MM_DEVICE_IGNORE}="1" in /etc/udev/rules.d/99-massager.rules (a CH340 clone is idVendor 1a86), then sudo udevadm control --reload-rules && sudo udevadm trigger',
  };
}

const BOARD_VENDOR = /idVendor}=="(2341|2a03|1a86|0403|10c4)"/i;
const GRANTS_ACCESS = /\b(GROUP|MODE|OWNER|SYMLINK)\+?=|TAG\+="uaccess"/;

/**
 * Whether udev rules text has a rule for a USB serial board's vendor that gives it a group, mode,
 * owner or name (a rule that only tags the device, such as upower's for FTDI meters, does not help).
 */
export function grantsBoardAccess(rules: string): boolean {
  return rules
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .some((line) => (BOARD_VENDOR.test(line) || /massager/i.test(line)) && GRANTS_ACCESS.test(line));
}

const TOOLS: Array<{ names: string[]; purpose: string; fix: string }> = [
  {
    names: ["socat"],
    purpose: "serves the simulator on a pseudo-terminal (massager simulate --pty)",
    fix: "sudo apt-get install socat",
  },
  {
    names: ["simavr"],
    purpose: "runs the firmware in an emulated board (firmware tests)",
    fix: "sudo apt-get install simavr",
  },
  { names: ["avr-gcc"], purpose: "builds the firmware", fix: "sudo apt-get install gcc-avr avr-libc" },
  {
    names: ["chromium", "chromium-browser", "google-chrome"],
    purpose: "the desktop app's browser tests",
    fix: "sudo apt-get install chromium",
  },
];

function checkTools(): Check[] {
  return TOOLS.map((tool) => {
    const found = tool.names.find(onPath);
    return found
      ? { level: "ok" as const, what: `${found} found (${tool.purpose})` }
      : { level: "warn" as const, what: `${tool.names[0]} is missing: it ${tool.purpose}`, fix: tool.fix };
  });
}

function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

function userGroups(): string[] {
  try {
    const uid = process.getuid?.();
    const user = process.env.USER ?? "";
    return readFileSync("/etc/group", "utf8")
      .split("\n")
      .filter((line) => {
        const [, , , members = ""] = line.split(":");
        return members.split(",").includes(user) || (uid === 0 && line.startsWith("root:"));
      })
      .map((line) => line.split(":")[0] ?? "");
  } catch {
    return [];
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
