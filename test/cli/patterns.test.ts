import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCommandLine } from "../../device/cli/cli.ts";
import { getPattern, listPatterns, listRoutines } from "../../patterns/index.ts";
import { PatternSchema, RoutineSchema } from "../../protocol/index.ts";
import { stopAll } from "../support/managed-process.ts";
import { type CliResult, runMassager } from "../support/massager-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "massager-patterns-"));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const NO_STACK = /\n\s+at |Error:|node:internal/;

/**
 * `massager ARGS` inside this process: the real command line (runCommandLine: the same commander
 * program, registrars and error report as bin/massager.js, without the process-wide signal and
 * crash handlers), stdout and stderr captured, the exit code from process.exitCode. Each command
 * keeps one test through a real process (runMassager); the rest run here, without a Node start each.
 */
async function runInProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const capture = (append: (text: string) => void) => (chunk: string | Uint8Array) => {
    append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture((text) => (stdout += text)));
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture((text) => (stderr += text)));
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  try {
    await runCommandLine(["node", "massager", ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = exitCodeBefore;
  }
}

describe("massager patterns list", () => {
  it("prints every built-in pattern as JSON with the summary fields", async () => {
    const result = await runInProcess(["patterns", "list", "--json"]);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(listed.map((p) => p.id)).toEqual(listPatterns().map((p) => p.id));
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      ["goal", "id", "name", "pressure", "recommendedMinutes", "technique", "zones"].sort(),
    );
  });

  it("prints a readable table without --json", async () => {
    const result = await runInProcess(["patterns", "list"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+GOAL/);
    expect(lines).toHaveLength(listPatterns().length + 1);
    expect(result.stdout).toContain("Neck and shoulder kneading");
  });
});

describe("massager patterns show", () => {
  it("prints a pattern in the form of a valid user pattern file", async () => {
    const result = await runInProcess(["patterns", "show", "temple-circles", "--json"]);
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout);
    expect(PatternSchema.parse(shown)).toEqual(getPattern("temple-circles"));
  });

  it("names an unknown id in one line and exits 3 (a real process)", async () => {
    const result = await runMassager(["patterns", "show", "no-such-pattern"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('no pattern "no-such-pattern"');
    expect(result.stderr).not.toMatch(NO_STACK);
  });
});

describe("massager routines list and recommend", () => {
  it("lists the routines with their steps as JSON (a real process)", async () => {
    const result = await runMassager(["routines", "list", "--json"]);
    expect(result.code).toBe(0);
    const routines = JSON.parse(result.stdout) as unknown[];
    expect(routines).toHaveLength(listRoutines().length);
    for (const routine of routines) expect(RoutineSchema.safeParse(routine).success).toBe(true);
    const text = await runInProcess(["routines", "list"]);
    expect(text.stdout).toContain("1. neck-shoulder-knead");
    // Each routine at its own length (map's index must not leak in as the minutes).
    expect(text.stdout).toContain("Daily hair care (daily-hair-care), 5 min,");
  });

  it("recommends the quick shower routine for three minutes of hair care", async () => {
    const result = await runInProcess(["recommend", "--goal", "hair", "--minutes", "3", "--json"]);
    expect(result.code).toBe(0);
    const pick = JSON.parse(result.stdout);
    expect(pick.routine.id).toBe("quick-shower");
    expect(pick.minutes).toBe(3);
    expect(pick.reason).toMatch(/\S/);
  });

  it("refuses a goal it does not know with a usage error (a real process)", async () => {
    const result = await runMassager(["recommend", "--goal", "sleep"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Allowed choices are hair, relax, both");
    const minutes = await runInProcess(["recommend", "--goal", "relax", "--minutes", "lots"]);
    expect(minutes.code).toBe(2);
    expect(minutes.stderr).toContain("minutes from 0.5 to 1440");
  });
});

describe("massager patterns validate", () => {
  const good = getPattern("scalp-circles");
  const valid = file("valid.json", JSON.stringify({ $schema: "./pattern.schema.json", ...good, id: "my-circles" }));

  it("exits 0 when every file is valid, routines included, even one using a pattern from another file", async () => {
    const routine = file(
      "routine.json",
      JSON.stringify({
        id: "my-routine",
        name: "Mine",
        description: "Uses my circles, then built-in tapping.",
        goal: "hair",
        steps: [
          { pattern: "my-circles", minutes: 3, cue: "Crown." },
          { pattern: "scalp-tapping", minutes: 1, cue: "All over." },
        ],
      }),
    );
    const result = await runInProcess(["patterns", "validate", valid, routine]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok (routine "my-routine")');
  });

  it("prints one line per problem with the file and the JSON path, and exits 1", async () => {
    const bad = file(
      "bad.json",
      JSON.stringify({
        ...good,
        id: "Bad Id",
        vibration: [
          { ms: 100, to: 0.5 },
          { ms: 0, to: 1.5, wobble: 1 },
        ],
      }),
    );
    const result = await runInProcess(["patterns", "validate", valid, bad]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^.*bad\.json:(?:\d+:\d+:)? \$\.id: /),
      expect.stringMatching(/^.*bad\.json:(?:\d+:\d+:)? \$\.vibration\[1\]\.ms: .*>=1/),
      expect.stringMatching(/^.*bad\.json:(?:\d+:\d+:)? \$\.vibration\[1\]\.to: .*<=1/),
      expect.stringMatching(/^.*bad\.json:(?:\d+:\d+:)? \$\.vibration\[1\]\.wobble: unknown field/),
    ]);
    expect(result.stdout).toContain("valid.json: ok");
  });

  it("never prints a stack trace, whatever the file holds", async () => {
    const unreadable = file("unreadable.json", "{}");
    chmodSync(unreadable, 0o000);
    const cases: [string, RegExp][] = [
      [file("empty.json", ""), /empty\.json:(?:\d+:\d+:)? \$: the file is empty/],
      [file("blank.json", " \n\t\n"), /blank\.json:(?:\d+:\d+:)? \$: the file is empty/],
      [file("broken.json", '{\n  "id": "x",\n  oops\n}'), /broken\.json:3:3: \$: invalid JSON/],
      [file("truncated.json", '{"id": "x", "vibration": ['), /truncated\.json:(?:\d+:\d+:)? \$: invalid JSON/],
      [file("array.json", "[1, 2]"), /array\.json:(?:\d+:\d+:)? \$: .*expected object/],
      [file("number.json", "42"), /number\.json:(?:\d+:\d+:)? \$: .*expected object/],
      [file("types.json", JSON.stringify({ ...good, zones: "scalp", recommendedMinutes: "5" })), /\$\.zones: /],
      [file("range.json", JSON.stringify({ ...good, rotation: [{ ms: 70_000, to: -2 }] })), /\$\.rotation\[0\]\.ms: /],
      [file("binary.json", "\u0000\u00ff\u0001garbage"), /binary\.json:(?:\d+:\d+:)? \$: invalid JSON/],
      [file("steps.json", JSON.stringify({ steps: [{ pattern: "nope", minutes: 1, cue: "x" }] })), /\$\.id: missing/],
      [join(dir, "missing.json"), /missing\.json:(?:\d+:\d+:)? \$: no such file/],
      [dir, /: \$: is a directory/],
      ["/dev/null", /\/dev\/null: \$: is not a regular file/],
    ];
    // Root can read a chmod 000 file; only expect the permission line when the test runs unprivileged.
    if (process.getuid?.() !== 0) cases.push([unreadable, /unreadable\.json:(?:\d+:\d+:)? \$: permission denied/]);
    const result = await runInProcess(["patterns", "validate", ...cases.map(([path]) => path)]);
    expect(result.code).toBe(1);
    for (const [, line] of cases) expect(result.stderr).toMatch(line);
    expect(result.stderr).not.toMatch(NO_STACK);
    for (const line of result.stderr.trim().split("\n")) expect(line).toMatch(/^.+: \$[^:]*: .+$/);
  });

  it("points at a routine step naming a pattern that exists nowhere", async () => {
    const routine = file(
      "lost.json",
      JSON.stringify({
        id: "lost",
        name: "Lost",
        description: "Names a pattern nobody defined.",
        goal: "relax",
        steps: [{ pattern: "nowhere-pattern", minutes: 2, cue: "Anywhere." }],
      }),
    );
    const result = await runInProcess(["patterns", "validate", routine]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /lost\.json:(?:\d+:\d+:)? \$\.steps\[0\]\.pattern: no pattern "nowhere-pattern"/,
    );
  });
});
