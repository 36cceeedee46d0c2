/** `massager ports [--json]`: the serial ports this machine has (udev-free where udev is missing). */
import type { Command } from "commander";
import { listSerialPorts, USB_SERIAL_VENDORS } from "../../transport/serial-ports.ts";

export function registerPortsCommand(program: Command): void {
  program
    .command("ports")
    .description("List serial ports (use one as --device serial:PATH)")
    .option("--json", "print JSON: [{ path, manufacturer?, serialNumber?, pnpId?, vendorId?, productId? }]")
    .action(async (options: { json?: boolean }) => {
      const { ports } = await listSerialPorts();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
        return;
      }
      if (ports.length === 0) {
        process.stdout.write("No serial ports found. Plug the massager in; `massager doctor` checks permissions.\n");
        return;
      }
      for (const port of ports) {
        const vendor = port.vendorId;
        const kind = vendor ? (USB_SERIAL_VENDORS[vendor] ?? `USB ${vendor}:${port.productId ?? "?"}`) : "";
        const details = [port.manufacturer, kind, port.serialNumber ? `serial ${port.serialNumber}` : ""].filter(
          Boolean,
        );
        process.stdout.write(`serial:${port.path}${details.length > 0 ? `  ${details.join(", ")}` : ""}\n`);
      }
    });
}
