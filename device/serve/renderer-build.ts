/**
 * Builds the desktop app's renderer (desktop/renderer) with Vite into desktop/out/renderer,
 * when the build is missing or older than any of its sources, so a fresh clone's
 * `npx massager serve` just works. The Electron build script uses the same function.
 */
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where the renderer's sources and its build live. */
const RENDERER_SOURCE_DIR = join(repoRoot, "desktop/renderer");
export const RENDERER_OUT_DIR = join(repoRoot, "desktop/out/renderer");

/** Everything the renderer bundle is made from: its own folder and the renderer-safe layers it imports. */
const SOURCES = [
  RENDERER_SOURCE_DIR,
  join(repoRoot, "protocol"),
  join(repoRoot, "patterns"),
  join(repoRoot, "device/app/contract.ts"),
  join(repoRoot, "device/app/reminders.ts"),
];

/** The newest file under `path`. Files only: a folder's own time changes when any file comes or goes there (a tool's temporary file), which changes no source. */
async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/** True when the build is missing or older than a source. */
async function rendererIsStale(): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(join(RENDERER_OUT_DIR, "index.html"))).mtimeMs;
  } catch {
    return true;
  }
  for (const source of SOURCES) if ((await newestMtime(source)) > built) return true;
  return false;
}

/**
 * Builds the renderer with Vite (quietly) into a fresh folder beside the build, then swaps it in:
 * a server already serving the old build (another `serve`, a test) never finds it half emptied.
 */
export async function buildRenderer(): Promise<void> {
  let build: typeof import("vite").build;
  try {
    ({ build } = await import("vite"));
  } catch (error) {
    throw new MassagerError(ErrorCode.FileUnreadable, "could not load Vite to build the app's UI", {
      hint: "run `npm install` in the project folder, then try again",
      cause: error,
    });
  }
  const fresh = `${RENDERER_OUT_DIR}.next-${process.pid}`;
  try {
    await build({
      configFile: false,
      root: RENDERER_SOURCE_DIR,
      // Relative asset URLs, so the same build loads from file:// in Electron and from / in serve.
      base: "./",
      logLevel: "error",
      build: {
        outDir: fresh,
        emptyOutDir: true,
        target: "es2022",
        // One small bundle: no inline data URLs (the CSP forbids them for scripts) and no sourcemaps.
        assetsInlineLimit: 0,
        sourcemap: false,
        reportCompressedSize: false,
      },
    });
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw new MassagerError(ErrorCode.FileUnreadable, `could not build the app's UI: ${firstLine(error)}`, {
      hint: "a file under desktop/renderer/ does not build: fix it (or restore it with `git checkout`), then try again",
      cause: error,
    });
  }
  // Two renames: the build is missing only between them, not for the whole of a Vite build.
  const old = `${RENDERER_OUT_DIR}.old-${process.pid}`;
  await rename(RENDERER_OUT_DIR, old).catch(() => undefined);
  try {
    await rename(fresh, RENDERER_OUT_DIR);
  } catch (error) {
    // Another process swapped its build in between the two renames: the same sources, so keep it.
    await rm(fresh, { recursive: true, force: true });
    if (!(await stat(join(RENDERER_OUT_DIR, "index.html")).catch(() => undefined))) throw error;
  }
  await rm(old, { recursive: true, force: true });
}

/** The first line of a build error, without colours: Vite's messages run to a code frame. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC.
  const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
  return (
    plain
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? "unknown error"
  );
}

const LOCK = join(repoRoot, "desktop/out/.renderer-build.lock");
/** A lock older than this belongs to a build that died; it is taken over. */
const STALE_LOCK_MS = 120_000;

/** Holds a cross-process lock (an exclusive mkdir) while `task` runs, so two builds never overwrite each other. */
async function withBuildLock<T>(task: () => Promise<T>): Promise<T> {
  await mkdir(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age =
        Date.now() -
        (await stat(LOCK).then(
          (info) => info.mtimeMs,
          () => Date.now(),
        ));
      if (age > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await task();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** Builds the renderer when it is missing or stale (one build at a time, across processes); returns whether it built. */
export async function ensureRendererBuilt(): Promise<boolean> {
  if (!(await rendererIsStale())) return false;
  return withBuildLock(async () => {
    // Another process may have built it while this one waited for the lock.
    if (!(await rendererIsStale())) return false;
    await buildRenderer();
    return true;
  });
}
