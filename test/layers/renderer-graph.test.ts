/**
 * The desktop renderer runs in a sandboxed browser page, and it imports shared code from
 * device/app/ and protocol/. This follows every value import from desktop/renderer/ through the
 * tree (type-only imports are erased, so they are skipped) and fails on any Node built-in or
 * package that is not known to run in a browser, wherever in the graph it hides.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles } from "./imports.ts";
import { valueImports } from "./value-imports.ts";

const RENDERER_PACKAGES = new Set(["zod", "lit-html", "uplot"]);

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]) ?? specifier;
}

/** Walks the graph from `entries`; returns `file: specifier (why)` for every import a browser cannot load. */
function rendererProblems(entries: readonly string[], read: (file: string) => string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of valueImports(read(file))) {
      if (specifier.startsWith(".")) {
        if (/\.(ts|js|mjs)$/.test(specifier)) queue.push(resolve(dirname(file), specifier));
        continue;
      }
      const name = packageName(specifier);
      if (specifier.startsWith("node:") || builtinModules.includes(name)) {
        problems.push(`${relative(ROOT, file)}: ${specifier} (a Node built-in)`);
      } else if (!RENDERER_PACKAGES.has(name)) {
        problems.push(`${relative(ROOT, file)}: ${specifier} (not known to run in a browser)`);
      }
    }
  }
  return problems;
}

describe("the desktop renderer's import graph", () => {
  it("reaches no Node built-in and no Node-only package, through any shared module", () => {
    const entries = sourceFiles(join(ROOT, "desktop", "renderer"));
    expect(entries.length).toBeGreaterThan(0);
    expect(rendererProblems(entries, (file) => readFileSync(file, "utf8"))).toEqual([]);
  });

  it("finds a Node import two modules away and ignores type-only imports", () => {
    const files: Record<string, string> = {
      [join(ROOT, "desktop/renderer/a.ts")]:
        'import { b } from "../../device/app/b.ts";\nimport type { X } from "node:events";',
      [join(ROOT, "device/app/b.ts")]: 'export { c } from "./c.ts";\nimport { html } from "lit-html";',
      [join(ROOT, "device/app/c.ts")]:
        'import { readFile } from "node:fs/promises";\nimport { SerialPort } from "serialport";',
    };
    const read = (file: string) => files[file] ?? "";
    expect(rendererProblems([join(ROOT, "desktop/renderer/a.ts")], read)).toEqual([
      "device/app/c.ts: node:fs/promises (a Node built-in)",
      "device/app/c.ts: serialport (not known to run in a browser)",
    ]);
  });
});
