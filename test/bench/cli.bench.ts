/**
 * The `massager` command's wall time, start-up included, as people run it: the built bundle
 * (bin/build-cli.js) against the TypeScript sources through tsx (MASSAGER_TSX=1, how every run
 * went before the build), measured in the same run, interleaved so both see the same load.
 * `--help` loads every command; `play <routine> --fast --json` with 1 minute is start-up with next
 * to no session, with 60 minutes it adds an hour of virtual time.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./run.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/massager.js", import.meta.url));
const RUNS = 5;

export default async function run(): Promise<BenchResult[]> {
  // Build (if the sources changed) and write the code cache before anything is timed.
  await wall(["--help"], false);
  await wall(["--help"], false);
  const play = (minutes: number) => ["play", "daily-hair-care", "--minutes", String(minutes), "--fast", "--json"];
  return [
    ...(await compare("massager --help", ["--help"], "≤ 150 ms")),
    ...(await compare("massager play <1-minute routine> --fast --json", play(1))),
    ...(await compare("massager play <60-minute routine> --fast --json", play(60), "≤ 400 ms")),
  ];
}

async function compare(name: string, args: string[], aim?: string): Promise<BenchResult[]> {
  const built: number[] = [];
  const tsx: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    built.push(await wall(args, false));
    tsx.push(await wall(args, true));
  }
  const b = median(built);
  const t = median(tsx);
  return [
    {
      name: `${name}, wall`,
      value: b,
      unit: "ms",
      ...(aim ? { aim } : {}),
      note: `median of ${RUNS} (min ${Math.round(Math.min(...built))}); the built bundle`,
    },
    {
      name: `${name}, wall through tsx (before the build)`,
      value: t,
      unit: "ms",
      note: `median of ${RUNS} (min ${Math.round(Math.min(...tsx))}); built/tsx ${(b / t).toFixed(2)}`,
    },
  ];
}

/** One run's wall time, ms; throws unless it exits 0. */
async function wall(args: string[], throughTsx: boolean): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env };
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
  if (code !== 0) throw new Error(`massager ${args.join(" ")} exited ${code}`);
  return performance.now() - t0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
}
