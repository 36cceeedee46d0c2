/** Finds the imports of a source file and what is wrong with them for a renderer-safe layer. */
import { readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Packages known to run in a browser. Add one only after checking it has no Node-only code. */
export const BROWSER_SAFE_PACKAGES = new Set(["zod"]);

/** Each renderer-safe layer and the top-level folders it may import from. */
export const LAYERS = { protocol: ["protocol"], patterns: ["protocol", "patterns"] } as const;

/** `import … from "x"` and `export … from "x"` (across lines), `import "x"`, `import("x")`, `require("x")`. */
const IMPORTS = [
  /^\s*(?:import|export)\b[^;=]*?\bfrom\s*["']([^"']+)["']/gm,
  /^\s*import\s*["']([^"']+)["']/gm,
  /\bimport\s*\(\s*["']([^"']+)["']/g,
  /\brequire\s*\(\s*["']([^"']+)["']/g,
];

export function specifiers(text: string): string[] {
  const found = IMPORTS.flatMap((pattern) => [...text.matchAll(pattern)]);
  return found.sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((match) => match[1] ?? "");
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every import specifier in a file, with the problem it has (if any). */
export function importProblems(file: string, text: string, allowedFolders: readonly string[]): string[] {
  const problems: string[] = [];
  for (const specifier of specifiers(text)) {
    if (specifier.startsWith(".")) {
      const target = relative(ROOT, resolve(dirname(file), specifier));
      const folder = target.split(/[\\/]/)[0] ?? "";
      if (!allowedFolders.includes(folder)) problems.push(`${specifier} (imports ${folder}/ against the layers)`);
      continue;
    }
    const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
    if (specifier.startsWith("node:") || builtinModules.includes(name ?? "")) {
      problems.push(`${specifier} (a Node built-in)`);
    } else if (!BROWSER_SAFE_PACKAGES.has(name ?? "")) {
      problems.push(`${specifier} (not on the browser-safe package list)`);
    }
  }
  return problems;
}
