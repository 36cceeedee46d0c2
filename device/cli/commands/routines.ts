/** `massager routines list`: the built-in guided routines with their steps. */
import type { Command } from "commander";
import { defaultMinutes } from "../../../patterns/default-minutes.ts";
import { listRoutines } from "../../../patterns/library/index.ts";
import { GOAL_LABELS, type Routine } from "../../../protocol/pattern.ts";

export function registerRoutinesCommand(program: Command): void {
  const routines = program.command("routines").description("List the guided routines");
  routines
    .command("list")
    .description("List the built-in routines with their steps")
    .option("--json", "print JSON (the routines in the form of user routine files)")
    .action((options: { json?: boolean }) => {
      const all = listRoutines();
      const text = options.json
        ? JSON.stringify(all, null, 2)
        : all.map((routine) => describeRoutine(routine)).join("\n\n");
      process.stdout.write(`${text}\n`);
    });
}

/** A routine as readable text: its name, goal and length, then each step with its cue. */
export function describeRoutine(routine: Routine, minutes = defaultMinutes(routine)): string {
  const scale = minutes / defaultMinutes(routine);
  const lines = [`${routine.name} (${routine.id}), ${round(minutes)} min, ${GOAL_LABELS[routine.goal]}`];
  routine.steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${step.pattern}, ${round(step.minutes * scale)} min: ${step.cue}`);
  });
  return lines.join("\n");
}

function round(minutes: number): number {
  return Math.round(minutes * 10) / 10;
}
