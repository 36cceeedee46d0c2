#!/usr/bin/env node
/**
 * The `massager` command built to JavaScript once, so that it starts in a blink instead of
 * loading ~150 TypeScript files through tsx on every run.
 *
 * device/cli/cli.ts and everything it imports (npm packages included, except native and
 * optional ones) is bundled by esbuild into one CommonJS file under node_modules/.cache/massager/,
 * the first time the command runs (or `node bin/build-cli.js`, e.g. at install). bin/massager.js
 * runs that file through node:vm with a V8 code cache (written by the first run that lacks it),
 * so neither module resolution nor parsing is paid again. CommonJS because only a vm.Script takes
 * a code cache; subcommands stay lazy: esbuild turns each `import()` into an init function that
 * runs only when called.
 *
 * Staleness: manifest.json lists every source file the bundle came from with its mtime and
 * size (plus node_modules/.package-lock.json, which npm rewrites on every install, and this
 * file). Checking is one stat per listed file (~130): a file new to the tree can only enter the
 * bundle through an edit to a file already listed.
 *
 *   run ─► manifest fresh? ─yes─► bundle + code cache ─► runCli()
 *                          └no──► lock free? ─yes─► build (~0.3 s) ─► bundle ─► runCli()
 *                                            └no (another process builds) ─► null: tsx this once
 *   a build that fails is remembered for these sources (no retry until they change) ─► tsx
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the bundle lives; MASSAGER_CLI_CACHE moves it (tests build into a folder of their own, in node_modules, where the bundle finds the packages it does not hold). */
const CACHE_DIR = process.env.MASSAGER_CLI_CACHE ?? join(ROOT, "node_modules", ".cache", "massager");
const MANIFEST = "manifest.json";
/** The bundle's entry: no file, only its name in esbuild's list of inputs. */
const ENTRY = "massager-entry.ts";
const LOCK = "build.lock";
/** Bumped when the recipe below changes in a way the listed inputs do not show. */
const RECIPE = 2;
/** A lock older than this was left by a build that died: take it over. */
const STALE_LOCK_MS = 60_000;
/** Files that are no source of the bundle but change what it should be. */
const EXTRA_INPUTS = ["bin/build-cli.js", "node_modules/.package-lock.json", "package.json"];
/**
 * Packages loaded from node_modules at run time, not bundled: native addons that load their
 * .node file in ways a bundle cannot follow, optional dependencies that may be absent, and tools
 * too big to load on every run that the code imports only on demand (vite, electron, selfsigned).
 * (serialport's binding is bundled: see the __dirname plugin below.)
 */
const EXTERNAL = [
  "@stoprocent/noble",
  "@stoprocent/bleno",
  "bufferutil",
  "utf-8-validate",
  "fsevents",
  "vite",
  "electron",
  "johnny-five",
  "firmata-io",
  "selfsigned",
];

/**
 * @typedef {object} Manifest
 * @property {number} recipe
 * @property {string} root      the checkout the bundle was built from (its absolute paths are inside)
 * @property {Array<[path: string, mtimeMs: number, size: number]>} inputs  relative to root; size -1: missing
 * @property {string} [bundle]  file name in CACHE_DIR, when the build succeeded
 * @property {string} [error]   the build's error, when it failed
 */

/** @returns {[number, number]} mtime and size; [0, -1] when the file is missing */
function stamp(path) {
  try {
    const stats = statSync(join(ROOT, path));
    return [stats.mtimeMs, stats.size];
  } catch {
    return [0, -1];
  }
}

/** @returns {Manifest | undefined} the manifest, if it describes the sources as they are now */
function freshManifest() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(CACHE_DIR, MANIFEST), "utf8"));
  } catch {
    return undefined;
  }
  if (manifest?.recipe !== RECIPE || manifest.root !== ROOT || !Array.isArray(manifest.inputs)) return undefined;
  for (const [path, mtimeMs, size] of manifest.inputs) {
    const [nowMtime, nowSize] = stamp(path);
    if (nowMtime !== mtimeMs || nowSize !== size) return undefined;
  }
  return manifest;
}

/** esbuild from the project's dependencies: a devDependency, and tsx's own dependency in a production install. */
async function loadEsbuild() {
  const require = createRequire(import.meta.url);
  let path;
  try {
    path = require.resolve("esbuild");
  } catch {
    path = createRequire(require.resolve("tsx/package.json")).resolve("esbuild");
  }
  return /** @type {typeof import("esbuild")} */ (await import(pathToFileURL(path).href));
}

/**
 * Each module's `import.meta.url` (and dirname/filename) stays its source file's, not the
 * bundle's: code that finds files next to itself (the firmware hex, the renderer sources) or
 * resolves packages from there (createRequire) works as it does under tsx. With `trace`, every
 * module also pushes its path onto globalThis.__massagerModules when it runs.
 * @returns {import("esbuild").Plugin}
 */
function sourcePlugin(trace) {
  return {
    name: "source-location",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        let head = trace
          ? `(globalThis.__massagerModules ??= []).push(${JSON.stringify(relative(ROOT, args.path))});`
          : "";
        if (text.includes("import.meta")) {
          const url = pathToFileURL(args.path).href;
          head += `const __sourceUrl = ${JSON.stringify(url)}, __sourceFile = ${JSON.stringify(args.path)}, __sourceDir = ${JSON.stringify(dirname(args.path))};`;
        }
        // On the same line as the file's first line, so line numbers in stack traces stay right.
        return { contents: head + text, loader: "ts" };
      });
      // A bundled CommonJS package that finds files next to itself (serialport's native binding:
      // node-gyp-build(join(__dirname, "..")) keeps its own __dirname and __filename, which
      // shadow the bundle's inside the function esbuild wraps each CommonJS module in.
      build.onLoad({ filter: /node_modules[\\/].*\.c?js$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (!/\b__(dirname|filename)\b/.test(text)) return undefined;
        const head = `var __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
        return { contents: head + text, loader: "js" };
      });
    },
  };
}

/**
 * Builds the bundle if the sources changed since the last build.
 * @param {{ force?: boolean, trace?: boolean }} [options] trace: every module pushes its path
 *   onto globalThis.__massagerModules when it runs (tests check that commands load lazily)
 * @returns {Promise<Manifest | null>} null when another process is building it right now
 */
export async function buildCli(options = {}) {
  if (!options.force && !options.trace) {
    const fresh = freshManifest();
    if (fresh) return fresh;
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const lockPath = join(CACHE_DIR, LOCK);
  if (!takeLock(lockPath)) return null;
  const release = () => {
    try {
      unlinkSync(lockPath);
    } catch {
      // gone already
    }
  };
  // Ctrl-C during the build exits at once (bin/massager.js): the lock goes with the process.
  process.once("exit", release);
  try {
    return await build(options.trace ?? false);
  } finally {
    process.off("exit", release);
    release();
  }
}

function takeLock(path) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, "wx"));
      return true;
    } catch {
      try {
        if (Date.now() - statSync(path).mtimeMs < STALE_LOCK_MS) return false;
        unlinkSync(path);
      } catch {
        // released meanwhile: try again
      }
    }
  }
  return false;
}

/** @returns {Promise<Manifest>} */
async function build(trace) {
  const startedAt = Date.now();
  /** @type {Manifest} */
  const manifest = { recipe: RECIPE, root: ROOT, inputs: [] };
  let result;
  let code;
  let esbuild;
  try {
    esbuild = await loadEsbuild();
    result = await esbuild.build({
      stdin: {
        contents: 'export { runCli } from "./device/cli/cli.ts";',
        resolveDir: ROOT,
        sourcefile: ENTRY,
        loader: "ts",
      },
      absWorkingDir: ROOT,
      bundle: true,
      format: "cjs",
      platform: "node",
      target: `node${process.versions.node.split(".")[0]}`,
      external: EXTERNAL,
      define: {
        "import.meta.url": "__sourceUrl",
        "import.meta.filename": "__sourceFile",
        "import.meta.dirname": "__sourceDir",
      },
      plugins: [sourcePlugin(trace)],
      write: false,
      metafile: true,
      legalComments: "none",
      logLevel: "silent",
    });
    const fatal = result.warnings.find((warning) => FATAL_WARNINGS.has(warning.id ?? ""));
    if (fatal) throw new Error(`${fatal.text} (${fatal.location?.file}:${fatal.location?.line})`);
    code = routeImports(result.outputFiles[0]?.text ?? "");
  } catch (error) {
    // Remember the failure for these sources: every run would otherwise pay for a failing build.
    manifest.error = error instanceof Error ? error.message : String(error);
    // Which file broke it is unknown: any source edit may fix it.
    manifest.inputs = [...sourceFiles(), ...EXTRA_INPUTS].map((path) => [path, ...stamp(path)]);
    writeAtomically(join(CACHE_DIR, MANIFEST), JSON.stringify(manifest));
    return manifest;
  } finally {
    // esbuild's service process would otherwise live as long as this one.
    await esbuild?.stop?.();
  }
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const bundle = `cli-${hash}${trace ? "-trace" : ""}.cjs`;
  writeAtomically(join(CACHE_DIR, bundle), code);
  const sources = Object.keys(result.metafile.inputs).filter(
    (path) => path !== ENTRY && !path.includes("node_modules/"),
  );
  manifest.inputs = [...sources, ...EXTRA_INPUTS].map((path) => {
    const [mtimeMs, size] = stamp(path);
    // Changed while the build ran: the bundle may hold the old text, so leave it stale.
    return [path, mtimeMs > startedAt ? 0 : mtimeMs, size];
  });
  manifest.bundle = bundle;
  writeAtomically(join(CACHE_DIR, MANIFEST), JSON.stringify(manifest));
  removeOldBundles(bundle);
  return manifest;
}

/** Every TypeScript file the command could be built from (only after a failed build). */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "build") walk(path);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  for (const dir of ["protocol", "patterns", "device"]) walk(dir);
  return files;
}

function removeOldBundles(keep) {
  const keepCache = keep.replace(/\.cjs$/, ".v8cache");
  for (const name of readdirSync(CACHE_DIR)) {
    if (/^cli-.*\.(cjs|v8cache)$/.test(name) && name !== keep && name !== keepCache) {
      try {
        unlinkSync(join(CACHE_DIR, name));
      } catch {
        // another process removed it
      }
    }
  }
}

function writeAtomically(path, data) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/**
 * Loads the built command: the bundle through a vm.Script with the V8 code cache next to it
 * (written at exit when missing or rejected: V8 rejects a cache from another Node version).
 * @param {Manifest} manifest a fresh, successful build
 * @returns {(argv: readonly string[]) => Promise<void>} runCli
 */
export function loadCli(manifest) {
  const file = join(CACHE_DIR, /** @type {string} */ (manifest.bundle));
  const source = readFileSync(file, "utf8");
  const cacheFile = file.replace(/\.cjs$/, ".v8cache");
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // not written yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __import) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache also holds every function this run compiled, not only the top level.
    process.once("exit", () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // a read-only cache directory: run without the cache
      }
    });
  }
  const module = { exports: {} };
  const importPackage = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), importPackage);
  return module.exports.runCli;
}

/**
 * The bundle runs as a vm.Script, where `import()` needs an importModuleDynamically hook, and on
 * Node 20 a function restored from the V8 code cache loses that hook (ERR_VM_DYNAMIC_IMPORT_
 * CALLBACK_MISSING). So each `import("package")` left in the bundle (the external packages:
 * Bluetooth, vite) calls `__import`, which loadCli() passes in: an import() from this module,
 * resolved from the checkout's node_modules. A computed import() cannot be routed: esbuild warns
 * about it, the build fails and the command runs from the sources.
 */
function routeImports(code) {
  return code.replace(/(?<![\w$.])import\((["'])([^"'\n]+)\1\)/g, (_, quote, specifier) => {
    return `__import(${quote}${specifier}${quote})`;
  });
}

/** What would make the bundle behave unlike the sources: fail the build (tsx runs them) instead. */
const FATAL_WARNINGS = new Set(["unsupported-dynamic-import", "empty-import-meta", "unsupported-require-call"]);

// `node bin/build-cli.js [--force]`: builds now (at install, say) and says where.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const manifest = await buildCli({ force: process.argv.includes("--force") });
  if (manifest === null) process.stdout.write("massager: another process is building the command right now\n");
  else if (manifest.error) {
    process.stderr.write(
      `massager: could not build the command (${manifest.error.split("\n")[0]}); it runs through tsx\n`,
    );
  } else process.stdout.write(`massager: built ${join(CACHE_DIR, manifest.bundle ?? "")}\n`);
}
