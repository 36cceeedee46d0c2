/** `massager ports [--json]`: the serial ports this machine has, as serialport lists them. */
import type { Command } from "commander";
import { SerialPort } from "serialport";

/** USB vendor ids of the boards and adapters a massager usually sits behind. */
const KNOWN_VENDORS: Record<string, string> = {
  "2341": "Arduino",
  "2a03": "Arduino",
  "1a86": "CH340 USB serial",
  "0403": "FTDI USB serial",
  "10c4": "CP210x USB serial",
  "239a": "Adafruit",
};

export function registerPortsCommand(program: Command): void {
  program
    .command("ports")
    .description("List serial ports (use one as --device serial:PATH)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const ports = await SerialPort.list();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
        return;
      }
      if (ports.length === 0) {
        process.stdout.write("No serial ports found. Plug the massager in; `massager doctor` checks permissions.\n");
        return;
      }
      for (const port of ports) {
        const vendor = port.vendorId?.toLowerCase();
        const kind = vendor ? (KNOWN_VENDORS[vendor] ?? `USB ${vendor}:${port.productId ?? "?"}`) : "";
        const details = [port.manufacturer, kind, port.serialNumber ? `serial ${port.serialNumber}` : ""].filter(
          Boolean,
        );
        process.stdout.write(`serial:${port.path}${details.length > 0 ? `  ${details.join(", ")}` : ""}\n`);
      }
    });
}
