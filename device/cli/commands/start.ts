/** `massager start` (what `npm start` runs): the recommended routine on the built-in simulator. */
import { type Command, Option } from "commander";
import { recommend } from "../../../patterns/recommend.ts";
import { GOALS, type Goal } from "../../../protocol/pattern.ts";
import { runSession } from "../session/run-session.ts";
import { parseMinutes, terminalKeys } from "./play.ts";

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("Play the recommended routine on the built-in simulated massager")
    .addOption(new Option("--goal <goal>", "what the massage is for").choices(GOALS).default("both"))
    .option("--minutes <n>", "minutes you have", parseMinutes)
    .option("--fast", "in virtual time")
    .option("--json", "one JSON event per line")
    .action(async (options: { goal: Goal; minutes?: number; fast?: boolean; json?: boolean }) => {
      const pick = recommend({
        goal: options.goal,
        ...(options.minutes === undefined ? {} : { minutes: options.minutes }),
      });
      if (!options.json) {
        process.stdout.write(
          `${pick.routine.name}, ${pick.minutes} min, on the simulated massager. ${pick.reason}\nCtrl-C stops.\n`,
        );
      }
      process.exitCode = await runSession({
        source: pick.routine,
        minutes: pick.minutes,
        intensity: 70,
        device: "sim",
        fast: options.fast ?? false,
        trace: undefined,
        json: options.json ?? false,
        maxIntensity: 100,
        stepCue: true,
        keys: terminalKeys(options.fast ?? false),
      });
    });
}
