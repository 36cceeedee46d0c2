/**
 * protocol/ and patterns/ run in the desktop app's renderer, so they may import only each
 * other (in that direction) and packages that work in a browser. This walks every source file
 * and fails on a Node built-in, a package not on the list below, or an import against the layers.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { importProblems, LAYERS, ROOT, sourceFiles } from "./imports.ts";

describe("renderer-safe layers", () => {
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    it(`${layer}/ imports no Node built-in, no Node-only package and nothing above it`, () => {
      const files = sourceFiles(join(ROOT, layer));
      expect(files.length).toBeGreaterThan(0);
      const found = files.flatMap((file) =>
        importProblems(file, readFileSync(file, "utf8"), allowed).map(
          (problem) => `${relative(ROOT, file)}: ${problem}`,
        ),
      );
      expect(found).toEqual([]);
    });
  }

  it("catches the imports it is meant to catch", () => {
    const file = join(ROOT, "patterns", "example.ts");
    const text = [
      'import { readFile } from "node:fs/promises";',
      'import path from "path";',
      'import { SerialPort } from "serialport";',
      'export { x } from "../device/cli/main.ts";',
      'const later = await import("@serialport/stream");',
      'import { z } from "zod";',
      'import { encode } from "../protocol/index.ts";',
      'import { getPattern } from "./library/index.ts";',
      'import {\n  join,\n  dirname,\n} from "node:path";',
      'type Host = (typeof COMMANDS)[K]["from"] extends "host" ? K : never;',
    ].join("\n");
    expect(importProblems(file, text, LAYERS.patterns)).toEqual([
      "node:fs/promises (a Node built-in)",
      "path (a Node built-in)",
      "serialport (not on the browser-safe package list)",
      "../device/cli/main.ts (imports device/ against the layers)",
      "@serialport/stream (not on the browser-safe package list)",
      "node:path (a Node built-in)",
    ]);
    expect(importProblems(join(ROOT, "protocol", "x.ts"), 'import "../patterns/index.ts";', LAYERS.protocol)).toEqual([
      "../patterns/index.ts (imports patterns/ against the layers)",
    ]);
  });
});
