/** `massager scan [--json] [--timeout S] [--hci SPEC]`: the massagers in Bluetooth range. */
import { type Command, InvalidArgumentError } from "commander";
import { describeHci, resolveHciSpec } from "../../transport/ble/hci-spec.ts";
import { DEFAULT_BLE_OPTIONS } from "../../transport/ble/options.ts";
import { listNearbyMassagers } from "../../transport/ble/scan.ts";
import { HCI_OPTION_HELP } from "../ble-option.ts";

interface ScanOptions {
  json?: boolean;
  timeout: number;
  hci?: string;
}

export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description("List the massagers in Bluetooth LE range (Nordic UART Service or HM-10 bridges)")
    .option("--json", "print JSON: [{ name, address, rssi, service }]")
    .option("--timeout <seconds>", "how long to listen (0.5..60)", parseSeconds, 5)
    .option("--hci <spec>", HCI_OPTION_HELP)
    .action(async (options: ScanOptions) => {
      const hci = resolveHciSpec(options.hci, process.env);
      const found = await listNearbyMassagers({
        hci,
        timeoutMs: options.timeout * 1000,
        poweredOnTimeoutMs: DEFAULT_BLE_OPTIONS.poweredOnTimeoutMs,
      });
      const rows = found.map((massager) => ({
        name: massager.name,
        address: massager.address,
        rssi: massager.rssi === 127 ? null : massager.rssi,
        service: massager.profile?.id ?? null,
      }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(
          `No massagers found in ${options.timeout} s on ${describeHci(hci)}. Is the massager on and close by?\n`,
        );
        return;
      }
      const table = [["NAME", "ADDRESS", "RSSI", "SERVICE"]].concat(
        found.map((massager) => [
          massager.name || "(no name)",
          massager.address,
          massager.rssi === 127 ? "-" : `${massager.rssi} dBm`,
          massager.profile?.label ?? "-",
        ]),
      );
      const widths = table[0]?.map((_, column) => Math.max(...table.map((row) => row[column]?.length ?? 0))) ?? [];
      for (const row of table) {
        process.stdout.write(
          `${row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join("  ")
            .trimEnd()}\n`,
        );
      }
      process.stdout.write(
        `\nPlay on one with: massager play ROUTINE --device ble:${found[0]?.name || found[0]?.address}\n`,
      );
    });
}

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds < 0.5 || seconds > 60) {
    throw new InvalidArgumentError("give a number of seconds from 0.5 to 60, like 5");
  }
  return seconds;
}
