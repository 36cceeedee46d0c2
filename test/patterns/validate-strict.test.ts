/**
 * `massager patterns validate` is strict where JSON.parse is lenient and brief where it was
 * noisy: invalid UTF-8, duplicate keys, lone surrogates, NaN/Infinity/+5/.5, UTF-16/32 and
 * doubled byte-order marks are each refused with `<file>:<line>:<column>: <message>` on one line,
 * and a file with thousands of problems prints a capped list.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkPatternFiles } from "../../device/patterns/pattern-files.ts";
import { getPattern } from "../../patterns/index.ts";
import { parseStrictJson } from "../../patterns/strict-json.ts";
import { runMassager } from "../support/massager-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "massager-strict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid = JSON.stringify({ ...getPattern("scalp-circles"), id: "mine" }, null, 2);

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The file's first problem as the CLI prints it. */
async function firstProblem(path: string) {
  const [result] = await checkPatternFiles([path]);
  if (!result || result.check.ok) throw new Error(`${path} passed`);
  return result.check.problems[0];
}

describe("strict JSON", () => {
  const cases: [string, string | Buffer, RegExp, number, number][] = [
    ["nan.json", '{\n  "id": NaN\n}', /NaN is not JSON/, 2, 9],
    ["infinity.json", '{"a": Infinity}', /Infinity is not JSON/, 1, 7],
    ["plus.json", '{"a": +5}', /cannot start with \+/, 1, 7],
    ["point.json", '{"a": .5}', /digit before the decimal point/, 1, 7],
    ["duplicate.json", '{\n  "id": 1,\n  "id": "x"\n}', /duplicate key "id" \(first at line 2, column 3\)/, 3, 3],
    ["surrogate.json", '{"name": "\\ud800"}', /half of a surrogate pair/, 1, 11],
    ["low-surrogate.json", '{"name": "\\udc00x"}', /low half/, 1, 11],
    [
      "utf8.json",
      Buffer.concat([Buffer.from('{\n "name": "a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      /invalid UTF-8 \(byte 0xC3\)/,
      2,
      12,
    ],
    ["utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("{}", "utf16le")]), /UTF-16/, 1, 1],
    ["utf32.json", Buffer.from([0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x7b]), /UTF-32/, 1, 1],
    ["double-bom.json", `\uFEFF\uFEFF${valid}`, /byte-order mark/, 1, 1],
    ["trailing.json", '{"a": [1, 2,]}', /trailing commas/, 1, 13],
    ["comment.json", '{"a": 1 // no\n}', /comments/, 1, 9],
  ];
  for (const [name, content, message, line, column] of cases) {
    it(`refuses ${name} with its line and column`, async () => {
      const problem = await firstProblem(file(name, content));
      expect(problem?.message).toMatch(message);
      expect([problem?.line, problem?.column]).toEqual([line, column]);
    });
  }

  it("accepts what JSON allows, a single UTF-8 byte-order mark included, and locates schema problems", async () => {
    expect(parseStrictJson('{"a": [1, -0.5e3, true, null, "\\u00e9\\ud83d\\ude00"]}')).toMatchObject({
      ok: true,
      value: { a: [1, -500, true, null, "é😀"] },
    });
    const [ok] = await checkPatternFiles([file("bom.json", `\uFEFF${valid}`)]);
    expect(ok?.check.ok).toBe(true);
    const problem = await firstProblem(
      file("schema.json", valid.replace('"name": "Mine"', '"name": 5').replace(/"name": "[^"]*"/, '"name": 5')),
    );
    expect(problem?.path).toBe("$.name");
    expect(problem?.line).toBe(3);
  });
});

describe("massager patterns validate", () => {
  it("prints one line per problem as file:line:column: message, and caps a long list", async () => {
    const bad = file("nan-cli.json", '{\n  "id": NaN\n}');
    // Thousands of unknown fields: each one a problem.
    const many = JSON.parse(valid) as Record<string, unknown>;
    for (let i = 0; i < 5000; i++) many[`extra${i}`] = i;
    const noisy = file("noisy.json", JSON.stringify(many));
    const result = await runMassager(["patterns", "validate", bad, noisy]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe(`${bad}:2:9: $: invalid JSON: NaN is not JSON; write a number`);
    expect(lines.length).toBeLessThanOrEqual(25);
    expect(lines.at(-1)).toMatch(/\.\.\. and 4980 more problems/);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^.*noisy\.json:1:\d+: \$\.extra\d+: unknown field$/);
  });
});
