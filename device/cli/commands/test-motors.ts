/**
 * `massager test-motors --device SPEC [--level PERCENT]`: each motor alone at a low level, each
 * direction for a second, saying what should be moving (device/hw/motor-test.ts). Ctrl-C stops
 * the motors at once.
 */
import { type Command, InvalidArgumentError } from "commander";
import { RealClock } from "../../clock.ts";
import { defaultDeviceSchemes } from "../../composition/device-schemes.ts";
import { deviceFromSpec } from "../../composition/device-spec.ts";
import { pinsLine, runMotorTest } from "../../hw/motor-test.ts";
import { HCI_OPTION_HELP, prepareBleDevice } from "../ble-option.ts";
import type { CliOptions } from "../cli-options.ts";
import { ExitCode } from "../exit-codes.ts";
import { PINS_OPTION_HELP, prepareFirmataDevice } from "../firmata-option.ts";
import { guardSignals, reportStopped } from "../signal-guard.ts";

interface TestMotorsOptions {
  device: string;
  level: number;
  pins?: string;
  hci?: string;
}

function parseLevel(text: string): number {
  const level = Number(text);
  if (!/^\d+$/.test(text) || level < 5 || level > 60) throw new InvalidArgumentError("give 5..60 (percent)");
  return level;
}

export function registerTestMotorsCommand(program: Command, cli: CliOptions = {}): void {
  program
    .command("test-motors")
    .description("Run each motor alone at a low level, each direction for a second, and say what should move")
    .requiredOption("--device <spec>", "serial:PATH | tcp:HOST:PORT | firmata:PATH | ble[:NAME] | sim")
    .option("--level <percent>", "the test level, 5..60 %", parseLevel, 30)
    .option("--pins <map>", PINS_OPTION_HELP)
    .option("--hci <spec>", HCI_OPTION_HELP)
    .action(async (options: TestMotorsOptions) => {
      const pins = await prepareFirmataDevice(options.device, options.pins);
      const hci = prepareBleDevice(options.device, options.hci);
      const clock = new RealClock();
      const target = deviceFromSpec(
        options.device,
        { clock },
        defaultDeviceSchemes({ hci, pins, extra: cli.extraDeviceSchemes }),
      );
      const transport = target.transport();
      const abort = new AbortController();
      const signals = guardSignals(() => abort.abort());
      const out = process.stdout;
      try {
        await transport.open();
        out.write(`Motor test on ${target.description} at ${options.level} %. Ctrl-C stops the motors.\n`);
        await runMotorTest(transport, {
          clock,
          percent: options.level,
          signal: abort.signal,
          events: {
            device: ({ firmware, pins: reported }) => out.write(`firmware ${firmware}; ${pinsLine(reported)}\n`),
            step: (step, index, count) => {
              out.write(`${index + 1}/${count} ${step.name} for ${step.ms / 1000} s: ${step.expect}\n`);
            },
          },
        });
        out.write("Done: the motors are stopped.\n");
      } catch (error) {
        if (signals.signal === undefined) throw error;
      } finally {
        await transport.close();
        target.dispose();
        const signal = signals.signal;
        signals.dispose();
        if (signal !== undefined) {
          reportStopped(signal);
          process.exitCode = ExitCode.Interrupted;
        }
      }
    });
}
