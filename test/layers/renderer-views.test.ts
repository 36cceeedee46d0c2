/**
 * The renderer's views render the state and call the actions they are given: they never reach
 * the store, the router or an action module by a value import (type imports are erased).
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, sourceFiles } from "./imports.ts";
import { valueImports } from "./value-imports.ts";

const RENDERER = join(ROOT, "desktop", "renderer");
/** What only the composition root and the actions may hold. */
const FORBIDDEN = ["store.ts", "router.ts", "app.ts", "events.ts", "keys.ts", "actions/"].map((path) =>
  join(RENDERER, path),
);

function viewProblems(files: readonly string[], read: (file: string) => string): string[] {
  return files.flatMap((file) =>
    valueImports(read(file))
      .filter((specifier) => specifier.startsWith("."))
      .filter((specifier) => FORBIDDEN.some((path) => resolve(dirname(file), specifier).startsWith(path)))
      .map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
  );
}

describe("the renderer's views", () => {
  it("import no store, router or action module by value", () => {
    const views = [...sourceFiles(join(RENDERER, "views")), ...sourceFiles(join(RENDERER, "components"))];
    expect(views.length).toBeGreaterThan(5);
    expect(viewProblems(views, (file) => readFileSync(file, "utf8"))).toEqual([]);
  });

  it("names a view that imports the store's module or an action by value, and lets type imports pass", () => {
    const file = join(RENDERER, "views/x.ts");
    const text = [
      'import type { Actions } from "../actions/index.ts";',
      'import { Store } from "../store.ts";',
      'import { SessionActions } from "../actions/session.ts";',
      'import { minutesText } from "../format.ts";',
    ].join("\n");
    expect(viewProblems([file], () => text).sort()).toEqual([
      "desktop/renderer/views/x.ts: ../actions/session.ts",
      "desktop/renderer/views/x.ts: ../store.ts",
    ]);
  });
});
