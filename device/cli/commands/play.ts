/** `massager play <pattern|routine|file>`: plays a session on the simulator or a device. */
import { type Command, InvalidArgumentError } from "commander";
import { defaultMinutes } from "../../../patterns/default-minutes.ts";
import { defaultDeviceSchemes } from "../../composition/device-schemes.ts";
import { HCI_OPTION_HELP, prepareBleDevice } from "../ble-option.ts";
import type { CliOptions } from "../cli-options.ts";
import { PINS_OPTION_HELP, prepareFirmataDevice } from "../firmata-option.ts";
import { runSession } from "../session/run-session.ts";
import { resolveSource } from "../session/source.ts";

interface PlayOptions {
  minutes?: number;
  intensity: number;
  maxIntensity: number;
  stepCue: boolean;
  device: string;
  fast?: boolean;
  trace?: string;
  json?: boolean;
  pins?: string;
  hci?: string;
  verbose?: boolean;
}

export function registerPlayCommand(program: Command, cli: CliOptions = {}): void {
  program
    .command("play")
    .description("Play a pattern or routine (an id, or a pattern file) on the simulator or a massager")
    .argument(
      "<what>",
      "a pattern or routine id (see `massager patterns list` and `massager routines list`), or a pattern file",
    )
    .option(
      "--minutes <n>",
      "session length in minutes; decimals allowed (default: its recommended length)",
      parseMinutes,
    )
    .option("--intensity <0-100>", "overall intensity in percent; ↑/↓ change it while playing", parseIntensity, 70)
    .option(
      "--max-intensity <0-100>",
      "your maximum intensity in percent: caps the levels, --intensity and every ↑",
      parseIntensity,
      100,
    )
    .option("--no-step-cue", "no double pulse of the vibration motor at each step change")
    .option("--device <spec>", "sim | serial:PATH | tcp:HOST:PORT | firmata:PATH | ble[:NAME]", "sim")
    .option("--fast", "play on the simulator in virtual time (an hour in about a second)")
    .option(
      "--trace <file.csv>",
      "write t_ms,vibration,rotation: every change the simulator applies, or a device's telemetry samples",
    )
    .option("--json", "one JSON event per line instead of a progress bar")
    .option("--verbose", "say what the device reports of itself and its pin map before playing")
    .option("--pins <map>", PINS_OPTION_HELP)
    .option("--hci <spec>", HCI_OPTION_HELP)
    .addHelpText(
      "after",
      "\nOn a terminal, while it plays: ↑/↓ intensity (5 % a press, never above --max-intensity),\nSpace pause/resume, q or Esc stop.",
    )
    .action(async (what: string, options: PlayOptions) => {
      const source = await resolveSource(what);
      const pins = await prepareFirmataDevice(options.device, options.pins);
      const hci = prepareBleDevice(options.device, options.hci);
      process.exitCode = await runSession({
        source,
        minutes: options.minutes ?? defaultMinutes(source),
        intensity: options.intensity,
        device: options.device,
        schemes: defaultDeviceSchemes({ hci, pins, extra: cli.extraDeviceSchemes }),
        fast: options.fast ?? false,
        trace: options.trace,
        json: options.json ?? false,
        maxIntensity: options.maxIntensity,
        stepCue: options.stepCue,
        keys: terminalKeys(options.fast ?? false),
        verbose: options.verbose ?? false,
      });
    });
}

/** The terminal to take keys from: stdin when it is one and the session plays in real time. */
export function terminalKeys(fast: boolean): NodeJS.ReadStream | undefined {
  return !fast && process.stdin.isTTY ? process.stdin : undefined;
}

export function parseMinutes(text: string): number {
  const minutes = Number(text);
  if (text.trim() === "" || !Number.isFinite(minutes) || minutes <= 0 || minutes > 1440) {
    throw new InvalidArgumentError("give the minutes as a number up to 1440, like 10 or 2.5");
  }
  return minutes;
}

function parseIntensity(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new InvalidArgumentError("give a percentage from 0 to 100");
  }
  return value;
}
