/**
 * Builds the desktop app into desktop/out: the renderer with Vite (shared with `massager
 * serve`), the main process as one ESM file and the preload as one CommonJS file (a
 * sandboxed preload cannot load modules) with esbuild. Run with `npm run app:build`.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { buildRenderer } from "../../device/serve/renderer-build.ts";

const desktop = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds all three parts; returns the main entry's path. */
export async function buildDesktopApp(): Promise<string> {
  const mainFile = join(desktop, "out/main/index.mjs");
  await Promise.all([
    buildRenderer(),
    build({
      entryPoints: [join(desktop, "main/index.ts")],
      outfile: mainFile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      // Dependencies (serialport's native bindings among them) load from node_modules at run time.
      packages: "external",
      logLevel: "error",
    }),
    build({
      entryPoints: [join(desktop, "preload/preload.ts")],
      outfile: join(desktop, "out/preload/preload.cjs"),
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node22",
      external: ["electron"],
      // zod and the contract are most of it; minified it loads faster in every window.
      minify: true,
      logLevel: "error",
    }),
  ]);
  return mainFile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDesktopApp();
  process.stdout.write(`Built the desktop app into ${join(desktop, "out")}\n`);
}
