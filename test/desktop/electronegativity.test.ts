/**
 * Runs @doyensec/electronegativity over the desktop app's sources (main, preload, renderer)
 * and fails on any high or medium finding. A deliberately unsafe fixture is scanned too, so a
 * scanner that silently found nothing could not pass this test.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
}
interface Report {
  issues: Finding[];
  errors: { file: string; message: string; tolerable: boolean }[];
}
type Run = (options: Record<string, unknown>) => Promise<Report>;

const run = createRequire(import.meta.url)("@doyensec/electronegativity") as Run;
const desktop = join(import.meta.dirname, "../../desktop");
let scanDir: string;

async function scan(input: string): Promise<Report> {
  return run({
    input,
    isSarif: false,
    customScan: [],
    // Needs the network (a list of Electron releases with security fixes); the Electron version is pinned in package.json.
    excludeFromScan: ["AvailableSecurityFixesGlobalCheck"],
    severitySet: "informational",
    confidenceSet: "tentative",
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: "40.10.2",
  });
}

const serious = (report: Report) =>
  report.issues.filter((issue) => issue.severity.name === "HIGH" || issue.severity.name === "MEDIUM");

beforeAll(async () => {
  // A copy of the sources only: the build output (desktop/out) may be rewritten by another suite meanwhile.
  scanDir = await mkdtemp(join(tmpdir(), "massager-eng-"));
  for (const part of ["main", "preload", "renderer"])
    await cp(join(desktop, part), join(scanDir, part), { recursive: true });
});

afterAll(async () => {
  await rm(scanDir, { recursive: true, force: true });
});

describe("electronegativity", () => {
  it("finds nothing high or medium in the desktop app", async () => {
    const report = await scan(scanDir);
    const unreadable = report.errors.filter((error) => !error.tolerable);
    expect(unreadable, "files electronegativity could not parse").toEqual([]);
    const findings = serious(report).map(
      (issue) => `${issue.severity.name} ${issue.id} at ${issue.file}:${issue.location.line}: ${issue.description}`,
    );
    expect(findings).toEqual([]);
  }, 60_000);

  it("does flag an unsafe window (the scanner works here)", async () => {
    const unsafe = await mkdtemp(join(tmpdir(), "massager-eng-unsafe-"));
    try {
      await writeFile(
        join(unsafe, "main.js"),
        `const { BrowserWindow } = require("electron");\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n`,
      );
      const ids = serious(await scan(unsafe)).map((issue) => issue.id);
      expect(ids).toContain("CONTEXT_ISOLATION_JS_CHECK");
      expect(ids).toContain("SANDBOX_JS_CHECK");
    } finally {
      await rm(unsafe, { recursive: true, force: true });
    }
  }, 60_000);
});
