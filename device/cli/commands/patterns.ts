/** `massager patterns list|show|validate`: the built-in patterns and user pattern files. */
import type { Command } from "commander";
import { getPattern, listPatterns } from "../../../patterns/library/index.ts";
import type { Problem } from "../../../patterns/validate.ts";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import { GOAL_LABELS, type Keyframe, type Pattern } from "../../../protocol/pattern.ts";
import { checkPatternFiles } from "../../patterns/pattern-files.ts";
import { ExitCode } from "../exit-codes.ts";
import { textTable } from "../text-table.ts";

/** The fields `patterns list --json` prints for each pattern. */
function patternSummary(pattern: Pattern) {
  const { id, name, goal, technique, zones, pressure, recommendedMinutes } = pattern;
  return { id, name, goal, technique, zones, pressure, recommendedMinutes };
}

export function registerPatternsCommand(program: Command): void {
  const patterns = program.command("patterns").description("List, show and validate massage patterns");

  patterns
    .command("list")
    .description("List the built-in patterns")
    .option("--json", "print JSON instead of a table")
    .action((options: { json?: boolean }) => {
      const all = listPatterns();
      if (options.json) return print(JSON.stringify(all.map(patternSummary), null, 2));
      const rows = all.map((p) => [
        p.id,
        p.name,
        p.goal,
        p.technique,
        p.zones.join(","),
        p.pressure,
        String(p.recommendedMinutes),
      ]);
      print(textTable(["ID", "NAME", "GOAL", "TECHNIQUE", "ZONES", "PRESSURE", "MIN"], rows));
    });

  patterns
    .command("show")
    .description("Show one built-in pattern (--json: in the form of a user pattern file)")
    .argument("<id>", "the pattern id, as in `massager patterns list`")
    .option("--json", "print the pattern as JSON")
    .action((id: string, options: { json?: boolean }) => {
      const pattern = getPattern(id);
      if (!pattern) {
        throw new MassagerError(ErrorCode.PatternNotFound, `no pattern "${id}"`, {
          hint: "run `massager patterns list` to see the pattern ids",
        });
      }
      print(options.json ? JSON.stringify(pattern, null, 2) : describePattern(pattern));
    });

  patterns
    .command("validate")
    .description("Check user pattern or routine files (a file with `steps` is a routine)")
    .argument("<file...>", "JSON files to check")
    .action(async (files: string[]) => {
      let problems = 0;
      for (const { file, check } of await checkPatternFiles(files)) {
        if (check.ok) {
          print(`${file}: ok (${check.kind} "${check.value.id}")`);
          continue;
        }
        // One line each, `file:line:column: message` as compilers print it; a long list is cut short.
        for (const problem of check.problems.slice(0, MAX_PROBLEMS_SHOWN)) {
          process.stderr.write(`${problemLine(file, problem)}\n`);
        }
        const more = check.problems.length - MAX_PROBLEMS_SHOWN;
        if (more > 0) process.stderr.write(`${file}: ... and ${more} more problems; fix these first\n`);
        problems += check.problems.length;
      }
      if (problems > 0) process.exitCode = ExitCode.InvalidInput;
    });
}

/** Problems shown per file; the rest are counted. */
const MAX_PROBLEMS_SHOWN = 20;

/** `file:line:column: $.path: message` (just `file: $: message` when no line is known), on one bounded line. */
function problemLine(file: string, problem: Problem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  const what = `${problem.path}: ${problem.message}`;
  const flat = what.replace(/[\r\n]+/g, " ");
  return `${where}: ${flat.length > 300 ? `${flat.slice(0, 300)}...` : flat}`;
}

function describePattern(pattern: Pattern): string {
  return [
    `${pattern.name} (${pattern.id})`,
    pattern.description,
    "",
    `goal        ${GOAL_LABELS[pattern.goal]}`,
    `technique   ${pattern.technique}`,
    `zones       ${pattern.zones.join(", ")}`,
    `pressure    ${pattern.pressure}`,
    `minutes     ${pattern.recommendedMinutes}`,
    `vibration   ${describeTrack(pattern.vibration)}`,
    `rotation    ${describeTrack(pattern.rotation)}`,
  ].join("\n");
}

function describeTrack(keys: readonly Keyframe[]): string {
  return keys.map((key) => `${key.to} in ${key.ms} ms (${key.ease})`).join(" → ");
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
