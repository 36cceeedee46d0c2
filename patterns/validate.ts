/**
 * Checks the contents of a user pattern or routine file and lists every problem with its
 * JSON path, for `massager patterns validate` and the app's import. Renderer-safe: it gets
 * text, never a file.
 */
import type { z } from "zod";
import { type Pattern, PatternSchema, type Routine, RoutineSchema } from "../protocol/pattern.ts";
import { jsonPath } from "./json-path.ts";
import { type Position, parseStrictJson } from "./strict-json.ts";

export interface Problem {
  /** Where, as a JSON path like `$.vibration[2].to`; `$` for the whole document. */
  path: string;
  message: string;
  /** Where in the text, when the problem came from text (1-based line and column). */
  line?: number;
  column?: number;
}

export type DocumentCheck =
  | { ok: true; kind: "pattern"; value: Pattern }
  | { ok: true; kind: "routine"; value: Routine }
  | { ok: false; kind: "pattern" | "routine" | "json"; problems: Problem[] };

/** Finds whether a pattern id exists (built in, or in other files being checked). */
export type PatternExists = (id: string) => boolean;

/** Parses JSON text and checks it as a pattern, or as a routine when it has `steps`. */
export function checkDocumentText(text: string, patternExists?: PatternExists): DocumentCheck {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") return { ok: false, kind: "json", problems: [{ path: "$", message: "the file is empty" }] };
  // Strict: duplicate keys, lone surrogates, NaN and friends are refused with a line and column.
  const parsed = parseStrictJson(body);
  if (!parsed.ok) {
    const { line, column } = parsed.position;
    return {
      ok: false,
      kind: "json",
      problems: [{ path: "$", message: `invalid JSON: ${parsed.message}`, line, column }],
    };
  }
  const check = checkDocument(parsed.value, patternExists);
  if (check.ok) return check;
  return { ...check, problems: check.problems.map((problem) => locate(problem, parsed.positions)) };
}

/** The problem with the line and column of the nearest value its path names (a missing field: its object). */
function locate(problem: Problem, positions: Map<string, Position>): Problem {
  let path = problem.path;
  for (;;) {
    const at = positions.get(path);
    if (at) return { ...problem, line: at.line, column: at.column };
    const parent = path.replace(/(\.[A-Za-z_$][\w$]*|\[[^\]]*\])$/, "");
    if (parent === path) return problem;
    path = parent;
  }
}

/** Checks a parsed document as a pattern, or as a routine when it is an object with `steps`. */
function checkDocument(value: unknown, patternExists?: PatternExists): DocumentCheck {
  const routine = typeof value === "object" && value !== null && !Array.isArray(value) && "steps" in value;
  if (!routine) {
    const parsed = PatternSchema.safeParse(value, PARSE);
    if (parsed.success) return { ok: true, kind: "pattern", value: parsed.data };
    return { ok: false, kind: "pattern", problems: issuesToProblems(parsed.error.issues) };
  }
  const parsed = RoutineSchema.safeParse(value, PARSE);
  if (!parsed.success) return { ok: false, kind: "routine", problems: issuesToProblems(parsed.error.issues) };
  const missing: Problem[] = [];
  if (patternExists) {
    parsed.data.steps.forEach((step, index) => {
      if (!patternExists(step.pattern)) {
        missing.push({
          path: jsonPath(["steps", index, "pattern"]),
          message: `no pattern "${step.pattern}" (neither built in nor in the files given)`,
        });
      }
    });
  }
  if (missing.length > 0) return { ok: false, kind: "routine", problems: missing };
  return { ok: true, kind: "routine", value: parsed.data };
}

/** Issues carry their input, so a missing field reads as missing rather than as a wrong value. */
const PARSE = { reportInput: true } as const;

function missingMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `missing (expected ${issue.expected})`;
  if (issue.code === "invalid_value")
    return `missing (expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`;
  return "missing";
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      // One line per unknown field, pointing at the field itself.
      for (const key of issue.keys) problems.push({ path: jsonPath([...issue.path, key]), message: "unknown field" });
      continue;
    }
    if (issue.path.length > 0 && "input" in issue && issue.input === undefined) {
      problems.push({ path: jsonPath(issue.path), message: missingMessage(issue) });
      continue;
    }
    problems.push({ path: jsonPath(issue.path), message: issue.message });
  }
  return problems;
}
