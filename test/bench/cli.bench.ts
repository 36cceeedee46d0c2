/**
 * The `massager` command's wall time, start-up included, as people run it: the built bundle
 * (bin/build-cli.js) against the TypeScript sources through tsx (MASSAGER_TSX=1, how every run
 * went before the build), measured in the same run, interleaved so both see the same load.
 * `--help` loads every command; `play <routine> --fast --json` with 1 minute is start-up with next
 * to no session, with 60 minutes it adds an hour of virtual time. Beside the wall time, each run's
 * own CPU time (all its threads, from process.cpuUsage() at exit, written by a preloaded file):
 * on a machine busy with other work the wall time mostly measures the wait for a core.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./run.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/massager.js", import.meta.url));
const RUNS = 5;
/** The bench's own bundle cache: no other process's build holds its lock or replaces its bundle mid-run. */
const CACHE = join(ROOT, "node_modules", ".cache", "massager-bench");

/** Preloaded into every run (NODE_OPTIONS=--require): its CPU time at exit, appended to MASSAGER_BENCH_CPU. */
const CPU_PRELOAD = `process.on("exit", () => {
  const u = process.cpuUsage();
  require("node:fs").writeFileSync(process.env.MASSAGER_BENCH_CPU, String((u.user + u.system) / 1000));
});
`;
let work = "";

interface Run {
  wallMs: number;
  cpuMs: number;
}

export default async function run(): Promise<BenchResult[]> {
  work = mkdtempSync(join(tmpdir(), "massager-cli-bench-"));
  writeFileSync(join(work, "cpu.cjs"), CPU_PRELOAD);
  try {
    const play = (minutes: number) => ["play", "daily-hair-care", "--minutes", String(minutes), "--fast", "--json"];
    return [
      ...(await compare("massager --help", ["--help"], "≤ 150 ms")),
      ...(await compare("massager play <1-minute routine> --fast --json", play(1))),
      ...(await compare("massager play <60-minute routine> --fast --json", play(60), "≤ 400 ms")),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(CACHE, { recursive: true, force: true });
  }
}

async function compare(name: string, args: string[], aim?: string): Promise<BenchResult[]> {
  const built: Run[] = [];
  const tsx: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    built.push(await builtOnce(args));
    tsx.push(await once(args, true));
  }
  const wall = (runs: Run[]) => median(runs.map((r) => r.wallMs));
  const cpu = (runs: Run[]) => median(runs.map((r) => r.cpuMs));
  return [
    {
      name: `${name}, wall`,
      value: wall(built),
      unit: "ms",
      ...(aim ? { aim } : {}),
      note: `median of ${RUNS}, the built bundle; through tsx ${wall(tsx)} ms, ratio ${(wall(built) / wall(tsx)).toFixed(2)}`,
    },
    {
      name: `${name}, CPU`,
      value: cpu(built),
      unit: "ms",
      note: `median of ${RUNS}, the built bundle; through tsx ${cpu(tsx)} ms, ratio ${(cpu(built) / cpu(tsx)).toFixed(2)}`,
    },
  ];
}

/**
 * One run of the built bundle, never one that had to build it: the sources change while other
 * work goes on, so the bundle is brought up to date first, and a run during which it changed
 * anyway (a build inside the timed run) is run again.
 */
async function builtOnce(args: string[]): Promise<Run> {
  for (let attempt = 0; ; attempt++) {
    await once(["--help"], false); // builds, if a source changed, and writes the code cache
    const before = bundleName();
    const run = await once(args, false);
    if (bundleName() === before || attempt === 3) return run;
  }
}

function bundleName(): string {
  try {
    return (JSON.parse(readFileSync(join(CACHE, "manifest.json"), "utf8")) as { bundle?: string }).bundle ?? "";
  } catch {
    return "";
  }
}

/** One run: its wall time here and its own CPU time; throws unless it exits 0. */
async function once(args: string[], throughTsx: boolean): Promise<Run> {
  const cpuFile = join(work, "cpu.txt");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${join(work, "cpu.cjs")}`.trim(),
    MASSAGER_BENCH_CPU: cpuFile,
    MASSAGER_CLI_CACHE: CACHE,
  };
  delete env.MASSAGER_DEBUG;
  if (throughTsx) env.MASSAGER_TSX = "1";
  else delete env.MASSAGER_TSX;
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`massager ${args.join(" ")} exited ${code}`);
  return { wallMs, cpuMs: Number(readFileSync(cpuFile, "utf8")) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
}
