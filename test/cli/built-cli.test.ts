/**
 * The `massager` command built to JavaScript (bin/build-cli.js): built into a cache on the first
 * run, rebuilt when a source changes, the TypeScript sources through tsx when there is no bundle
 * (another process is building it, the cache cannot be written), and still lazy: `play` runs no
 * server, flasher, app store or BLE peripheral code. Each test builds into a folder of its own.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnManaged } from "../support/managed-process.ts";
import { MASSAGER_BIN, REPO_ROOT } from "../support/paths.ts";

const BUILD_CLI = new URL("../../bin/build-cli.js", import.meta.url).href;
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Inside the checkout, as the real cache is: the bundle finds the packages it does not hold in node_modules from there. */
function cacheDir(): string {
  const parent = join(REPO_ROOT, "node_modules", ".cache");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "massager-test-"));
  dirs.push(dir);
  return dir;
}

function envWith(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MASSAGER_CLI_CACHE: cache };
  delete env.MASSAGER_TSX;
  delete env.MASSAGER_DEBUG;
  return env;
}

async function massager(cache: string, args: string[]): Promise<{ code: unknown; stdout: string; stderr: string }> {
  const run = spawnManaged(`massager ${args.join(" ")}`, process.execPath, [MASSAGER_BIN, ...args], {
    timeoutMs: 60_000,
    cwd: REPO_ROOT,
    env: envWith(cache),
  });
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Runs `script` (an ES module with BUILD_CLI's exports as `cli`) in a node of its own; its stdout. */
async function withBuildCli(cache: string, script: string): Promise<string> {
  const source = `const cli = await import(${JSON.stringify(BUILD_CLI)});\n${script}`;
  const run = spawnManaged("build-cli", process.execPath, ["--input-type=module", "-e", source], {
    timeoutMs: 60_000,
    cwd: REPO_ROOT,
    env: envWith(cache),
  });
  const status = await run.exited;
  expect(status, run.output()).toBe(0);
  return run.stdout();
}

/** The repository files the built command ran (module bodies evaluated) for `args`. */
async function modulesRunFor(cache: string, args: string[]): Promise<string[]> {
  const list = join(cache, `modules-${args[0]}.json`);
  await withBuildCli(
    cache,
    `const { writeFileSync } = await import("node:fs");
     const manifest = await cli.buildCli({ trace: true });
     process.on("exit", () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(globalThis.__massagerModules)));
     await cli.loadCli(manifest)([process.execPath, "massager", ...${JSON.stringify(args)}]);`,
  );
  return JSON.parse(readFileSync(list, "utf8")) as string[];
}

describe("the built command", () => {
  it("is built on the first run, then reused, and says what the sources say", async () => {
    const cache = cacheDir();
    const first = await massager(cache, ["routines", "list"]);
    expect(first.code, first.stderr).toBe(0);
    const files = readdirSync(cache);
    expect(files.filter((name) => name.endsWith(".cjs"))).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(cache, "manifest.json"), "utf8")) as {
      bundle: string;
      inputs: [string, number, number][];
    };
    expect(manifest.inputs.map(([path]) => path)).toContain("device/cli/commands/play.ts");
    // A function restored from a V8 code cache cannot import() on Node 20: every import() of a
    // package goes through the loader's hook instead (Bluetooth failed to load on the second run).
    const bundle = readFileSync(join(cache, manifest.bundle), "utf8");
    expect(bundle).toContain('__import("@stoprocent/noble")');
    expect(bundle).not.toMatch(/(?<![\w$.])import\(["']/);
    // The first run wrote the V8 code cache as it exited; the second runs from both.
    expect(files).toContain(manifest.bundle.replace(/\.cjs$/, ".v8cache"));
    const second = await massager(cache, ["routines", "list"]);
    expect(second).toEqual(first);
    const fromSources = spawnManaged("massager routines (tsx)", process.execPath, [MASSAGER_BIN, "routines", "list"], {
      timeoutMs: 60_000,
      cwd: REPO_ROOT,
      env: { ...envWith(cache), MASSAGER_TSX: "1" },
    });
    expect(await fromSources.exited).toBe(0);
    expect(fromSources.stdout()).toBe(first.stdout);
  });

  it("is rebuilt when a source it came from changed", async () => {
    const cache = cacheDir();
    const out = await withBuildCli(
      cache,
      `const { readFileSync, writeFileSync } = await import("node:fs");
       const first = await cli.buildCli();
       const again = await cli.buildCli();
       // A changed file is a different mtime or size: pretend play.ts was edited after the build.
       const path = ${JSON.stringify(cache)} + "/manifest.json";
       const manifest = JSON.parse(readFileSync(path, "utf8"));
       const entry = manifest.inputs.find(([file]) => file === "device/cli/commands/play.ts");
       entry[1] -= 1000;
       writeFileSync(path, JSON.stringify(manifest));
       const rebuilt = await cli.buildCli();
       const stamp = rebuilt.inputs.find(([file]) => file === "device/cli/commands/play.ts");
       process.stdout.write(JSON.stringify({ same: first === again || JSON.stringify(first) === JSON.stringify(again), stale: entry[1], now: stamp[1] }));`,
    );
    const result = JSON.parse(out) as { same: boolean; stale: number; now: number };
    expect(result.same).toBe(true);
    expect(result.now).toBe(result.stale + 1000);
  });

  it("runs from the sources when another process is building it or the cache cannot be written", async () => {
    const busy = cacheDir();
    writeFileSync(join(busy, "build.lock"), "");
    const whileBuilding = await massager(busy, ["routines", "list"]);
    expect(whileBuilding.code, whileBuilding.stderr).toBe(0);
    expect(whileBuilding.stdout).toContain("daily-hair-care");
    expect(readdirSync(busy)).toEqual(["build.lock"]); // it did not build

    const file = join(cacheDir(), "a-file");
    writeFileSync(file, "");
    const unwritable = await massager(join(file, "cache"), ["routines", "list"]);
    expect(unwritable.code, unwritable.stderr).toBe(0);
    expect(unwritable.stdout).toContain("daily-hair-care");
    expect(unwritable.stderr).toBe("");
  });

  it("runs no server, flasher, app store or BLE peripheral code for play, and all of it for --help", async () => {
    const cache = cacheDir();
    const heavy = /^device\/(serve|flash\/(?!serial-port)|app|ble-peripheral)\//;
    const play = await modulesRunFor(cache, ["play", "daily-hair-care", "--fast", "--json", "--minutes", "1"]);
    expect(play).toContain("device/cli/commands/play.ts");
    expect(play.filter((path) => heavy.test(path))).toEqual([]);
    const help = await modulesRunFor(cache, ["--help"]);
    expect(help.filter((path) => heavy.test(path)).length).toBeGreaterThan(0);
  });
});
