/**
 * A runtime import cycle makes the renderer depend on the order its modules run in: a value
 * read before its module ran is undefined. This follows value imports from every file in
 * desktop/renderer/ (type-only imports are erased at build time, so they cannot form one)
 * and fails, naming the modules, on any cycle that goes through the renderer.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles } from "./imports.ts";
import { valueImports } from "./value-imports.ts";

/** Each module reachable from `entries` by relative value imports, with the modules it imports. */
function importGraph(entries: readonly string[], read: (file: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (graph.has(file)) continue;
    const targets = valueImports(read(file))
      .filter((specifier) => specifier.startsWith(".") && /\.(ts|js|mjs)$/.test(specifier))
      .map((specifier) => resolve(dirname(file), specifier));
    graph.set(file, targets);
    queue.push(...targets);
  }
  return graph;
}

/** Every cycle in the graph that goes through a module under `within`, as `a.ts -> b.ts -> a.ts`. */
function runtimeCycles(graph: Map<string, string[]>, within: string): string[] {
  const cycles = new Set<string>();
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (file: string): void => {
    path.push(file);
    onPath.add(file);
    for (const target of graph.get(file) ?? []) {
      if (onPath.has(target)) {
        const cycle = path.slice(path.indexOf(target));
        if (cycle.some((member) => member.startsWith(within))) cycles.add(canonical(cycle));
      } else if (!done.has(target)) {
        visit(target);
      }
    }
    path.pop();
    onPath.delete(file);
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return [...cycles].sort();
}

/** A cycle written from its first module in sort order, so each is reported once. */
function canonical(cycle: string[]): string {
  const names = cycle.map((file) => relative(ROOT, file));
  const start = names.indexOf([...names].sort()[0] ?? "");
  const rotated = [...names.slice(start), ...names.slice(0, start)];
  return [...rotated, rotated[0]].join(" -> ");
}

const RENDERER = join(ROOT, "desktop", "renderer");

describe("the desktop renderer's runtime imports", () => {
  it("form no import cycle through desktop/renderer", () => {
    const entries = sourceFiles(RENDERER);
    const graph = importGraph(entries, (file) => readFileSync(file, "utf8"));
    expect(graph.size).toBeGreaterThan(entries.length);
    expect(runtimeCycles(graph, RENDERER)).toEqual([]);
  });

  it("finds a cycle three modules long and ignores one closed only by a type import", () => {
    const files: Record<string, string> = {
      [join(RENDERER, "app.ts")]: 'import { view } from "./views/view.ts";',
      [join(RENDERER, "views/view.ts")]: 'import { setupView } from "./setup.ts";',
      [join(RENDERER, "views/setup.ts")]:
        'import { type App, SCALP_MINUTES } from "../app.ts";\nimport { store } from "../store.ts";',
      [join(RENDERER, "store.ts")]:
        'import type { App } from "./app.ts";\nexport type { View } from "./views/view.ts";',
    };
    const read = (file: string) => files[file] ?? "";
    const graph = importGraph([join(RENDERER, "app.ts"), join(RENDERER, "store.ts")], read);
    expect(runtimeCycles(graph, RENDERER)).toEqual([
      "desktop/renderer/app.ts -> desktop/renderer/views/view.ts -> desktop/renderer/views/setup.ts -> desktop/renderer/app.ts",
    ]);
  });
});
