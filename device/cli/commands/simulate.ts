/** `massager simulate [--pty | --tcp PORT | --ble [--hm10]] [--trace FILE.csv]`: the simulated massager for other programs. */
import { type Command, InvalidArgumentError } from "commander";
import { Capability } from "../../../protocol/commands.ts";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import type { BoardName } from "../../flash/boards.ts";
import { ALL_CAPABILITIES } from "../../reference-device/capabilities.ts";
import { hostOnBle } from "../../simulator/ble-host.ts";
import { type HostedSimulator, hostOnPty, hostOnTcp } from "../../simulator/hosts.ts";
import { OutputRecorder } from "../../simulator/recorder.ts";
import { TraceFile } from "../../simulator/trace-file.ts";
import { resolveHciSpec } from "../../transport/ble/hci-spec.ts";
import { HCI_OPTION_HELP } from "../ble-option.ts";
import { ExitCode, exitCodeFor } from "../exit-codes.ts";
import { guardSignals, reportStopped } from "../signal-guard.ts";

interface SimulateOptions {
  board?: BoardName;
  bootloader?: boolean;
  firmware?: string;
  pty?: boolean;
  tcp?: number;
  trace?: string;
  streamOnly?: boolean;
  watchdogMs?: number;
  ble?: boolean;
  hm10?: boolean;
  hci?: string;
  name?: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("Run the simulated massager on a pseudo-terminal (default) or TCP; prints where on its first line")
    .option("--pty", "serve on a new pseudo-terminal (needs socat); prints `pty: /dev/pts/N`")
    .option("--tcp <port>", "serve on 127.0.0.1:PORT (0: any free port); prints `tcp: 127.0.0.1:PORT`", parsePort)
    .option("--trace <file.csv>", "record t_ms,vibration,rotation as applied, written as it goes")
    .option("--stream-only", "a device without program playback (the host streams setpoints)")
    .option("--watchdog-ms <ms>", "heartbeat watchdog period", parseWatchdog)
    .option("--ble", "serve as a Bluetooth LE peripheral (Nordic UART Service); prints `ble: NAME (ADDRESS, ...)`")
    .option("--hm10", "with --ble: an HM-10 style bridge (service FFE0, characteristic FFE1, MTU 23)")
    .option("--hci <spec>", `with --ble: ${HCI_OPTION_HELP}`)
    .option("--name <name>", "with --ble: the advertised name", "Massager")
    .option(
      "--board <board>",
      "an emulated uno or nano (simavr) running the massager firmware behind its bootloader",
      parseBoard,
    )
    .option("--bootloader", "with --board: only the bootloader (an empty flash), to try massager flash on")
    .option("--firmware <name>", "with --board: massager (your build, else the prebuilt), prebuilt, or FILE.hex")
    .action(async (options: SimulateOptions) => {
      try {
        if (options.board !== undefined) {
          // Loaded only here: the emulated board (simavr, the flasher's firmware choice) is heavier than the simulator.
          const { simulateBoard } = await import("./simulate-board.ts");
          process.exitCode = await simulateBoard({
            board: options.board,
            ...(options.bootloader ? { bootloader: true } : {}),
            ...(options.firmware !== undefined ? { firmware: options.firmware } : {}),
          });
          return;
        }
        if (options.bootloader || options.firmware !== undefined) {
          throw new MassagerError(ErrorCode.InvalidOption, "--bootloader and --firmware go with --board", {
            hint: "massager simulate --board uno --bootloader (or --firmware prebuilt)",
          });
        }
        process.exitCode = await simulate(options);
      } finally {
        // bleno's adapter poll timer outlives its stop(): end the process once the error (if any) is reported.
        if (options.ble) setImmediate(() => process.exit());
      }
    });
}

async function simulate(options: SimulateOptions): Promise<number> {
  const recorder = new OutputRecorder(false);
  const trace = options.trace === undefined ? undefined : new TraceFile(options.trace);
  if (trace) trace.follow(recorder);
  let failed: ((error: MassagerError) => void) | undefined;
  const failure = new Promise<MassagerError>((resolve) => {
    failed = resolve;
  });
  const hostOptions = {
    sinks: [recorder],
    capabilities: {
      ...(options.streamOnly ? { caps: ALL_CAPABILITIES & ~Capability.Program } : {}),
      ...(options.watchdogMs !== undefined ? { watchdogMs: options.watchdogMs } : {}),
    },
    onFailure: (error: MassagerError) => failed?.(error),
  };
  let host: HostedSimulator | undefined;
  // From the first moment: a signal while the host starts closes it (its motors stop) as soon as it exists.
  const signals = guardSignals(() => host?.close());
  try {
    host = options.ble
      ? await hostOnBle({
          ...hostOptions,
          hci: resolveHciSpec(options.hci, process.env),
          hm10: options.hm10 ?? false,
          ...(options.name !== undefined ? { name: options.name } : {}),
        })
      : options.tcp !== undefined
        ? await hostOnTcp(options.tcp, hostOptions)
        : await hostOnPty(hostOptions);
  } catch (error) {
    signals.dispose();
    trace?.close();
    throw error;
  }
  process.stdout.write(`${options.ble ? "ble" : options.tcp !== undefined ? "tcp" : "pty"}: ${host.address}\n`);
  process.stdout.write(`# play on it: massager play <routine> --device ${host.spec}\n`);
  const outcome = await Promise.race([signals.received, failure]);
  await host.close();
  trace?.close();
  signals.dispose();
  if (typeof outcome === "string") {
    reportStopped(outcome);
    return ExitCode.Interrupted;
  }
  process.stderr.write(`massager: ${outcome.message}\n`);
  return exitCodeFor(outcome);
}

function parseBoard(text: string): BoardName {
  if (text === "uno" || text === "nano") return text;
  throw new InvalidArgumentError("give uno (Optiboot, 115200 baud) or nano (old bootloader, 57600 baud)");
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new InvalidArgumentError("give a TCP port number, 0..65535");
  return port;
}

function parseWatchdog(text: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 100 || ms > 60_000) throw new InvalidArgumentError("give 100..60000 ms");
  return ms;
}
