/** `massager recommend --goal hair|relax|both [--minutes N]`: a routine for a goal and the time available. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { recommend } from "../../../patterns/recommend.ts";
import { GOALS, type Goal } from "../../../protocol/pattern.ts";
import { describeRoutine } from "./routines.ts";

export function registerRecommendCommand(program: Command): void {
  program
    .command("recommend")
    .description("Recommend a routine for a goal and the minutes you have")
    .addOption(new Option("--goal <goal>", "what the massage is for").choices(GOALS).makeOptionMandatory())
    .option("--minutes <n>", "minutes available (0.5..1440)", parseMinutes)
    .option("--json", "print JSON: { routine, minutes, reason }")
    .action((options: { goal: Goal; minutes?: number; json?: boolean }) => {
      const pick = recommend({
        goal: options.goal,
        ...(options.minutes === undefined ? {} : { minutes: options.minutes }),
      });
      const text = options.json
        ? JSON.stringify(pick, null, 2)
        : `${describeRoutine(pick.routine, pick.minutes)}\n\nWhy: ${pick.reason}`;
      process.stdout.write(`${text}\n`);
    });
}

function parseMinutes(text: string): number {
  const minutes = Number(text);
  if (text.trim() === "" || !Number.isFinite(minutes) || minutes < 0.5 || minutes > 1440) {
    throw new InvalidArgumentError("give a number of minutes from 0.5 to 1440, like 5 or 2.5");
  }
  return minutes;
}
