/** The imports of a source file that still exist at run time: `import type` and `export type` vanish at build time. */
const VALUE_IMPORTS = [
  /^\s*(?:import|export)(?!\s+type\b)\b[^;=]*?\bfrom\s*["']([^"']+)["']/gm,
  /^\s*import\s*["']([^"']+)["']/gm,
  /\bimport\s*\(\s*["']([^"']+)["']/g,
];

/** Every value import specifier in `text`, in no particular order. */
export function valueImports(text: string): string[] {
  return VALUE_IMPORTS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ""));
}
