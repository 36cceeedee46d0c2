/**
 * Every signal that ends `play`, `serve` or `simulate` stops the motors first and prints one
 * line, from the first moment (before its handlers would once have been installed, and during
 * the handshake), and a closed standard output never keeps the process from exiting.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ExitStatus, stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";
import { MASSAGER_BIN, REPO_ROOT } from "../support/paths.ts";
import { startServe } from "../support/serve-process.ts";

const dirs: string[] = [];
afterAll(async () => {
  await stopAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "massager-signals-"));
  dirs.push(dir);
  return dir;
}

const ONE_LINE = /^massager: stopped; (the motors are off|no motor was running) \((SIGINT|SIGTERM|SIGHUP|SIGQUIT)\)$/;

describe("serve", () => {
  it("SIGHUP (a dropped ssh session) stops the motors like Ctrl-C: one line, exit 130", async () => {
    const serve = await startServe(["--device", "sim", "--data-dir", await dataDir()]);
    serve.process.child.kill("SIGHUP");
    expect(await serve.process.exited, serve.output()).toBe(130);
    expect(serve.process.stderr().trim()).toMatch(/massager: stopped; the motors are off \(SIGHUP\)$/);
  }, 90_000);

  it("exits on SIGTERM although its standard output has gone away", async () => {
    const dir = await dataDir();
    const child = spawn(
      process.execPath,
      [MASSAGER_BIN, "serve", "--port", "0", "--device", "sim", "--data-dir", dir],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<ExitStatus>((resolve) =>
      child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)),
    );
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Massager app:")) resolve();
      });
      child.once("exit", () => reject(new Error(`serve ended early: ${out}`)));
    });
    // The reader goes away (its parent died): the pipe is closed under serve's stdout.
    child.stdout.destroy();
    child.stderr.destroy();
    const sent = Date.now();
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const status = await exited;
    clearTimeout(killer);
    expect(status).toBe(130);
    expect(Date.now() - sent).toBeLessThan(5000);
  }, 90_000);
});

const delayMs = (attempt: number) => Math.round((attempt * 2000) / 12);

/** Resolves once the process catches SIGHUP (bit 0 of SigCgt in /proc/PID/status). */
async function handlerInstalled(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (mask !== undefined && (BigInt(`0x${mask}`) & 1n) === 1n) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`massager (pid ${pid}) never installed its signal handlers`);
}

describe.runIf(process.platform === "linux")("play", () => {
  it("signalled at any moment of its first seconds: one line, exit 130, never a plain death by signal", async () => {
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const signal = signals[attempt % signals.length] ?? "SIGINT";
      const run = startMassager(["play", "scalp-circles", "--minutes", "1", "--device", "sim"], 30_000);
      // Node's own boot comes first (0.2-0.4 s on a loaded machine), before any script runs: no
      // program can handle a signal there. From the moment the command's first line has run
      // (its handler shows in /proc), spread over loading, connecting and the handshake.
      await handlerInstalled(run.pid);
      await new Promise((resolve) => setTimeout(resolve, delayMs(attempt)));
      run.child.kill(signal);
      const status = await run.exited;
      const lines = run.stderr().trim().split("\n");
      outcomes.push(`${signal}@${delayMs(attempt)}ms: ${status} ${JSON.stringify(lines)}`);
      expect(status, outcomes.join("\n")).toBe(130);
      expect(lines, outcomes.join("\n")).toHaveLength(1);
      expect(lines[0], outcomes.join("\n")).toMatch(ONE_LINE);
      expect(lines[0]).toContain(`(${signal})`);
    }
  }, 180_000);
});

describe("simulate", () => {
  it("SIGHUP stops the simulated motors: one line, exit 130", async () => {
    const sim = startMassager(["simulate", "--tcp", "0"], 30_000);
    await sim.line(/^tcp: /, 20_000);
    sim.child.kill("SIGHUP");
    expect(await sim.exited, sim.output()).toBe(130);
    expect(sim.stderr().trim()).toMatch(/massager: stopped; the motors are off \(SIGHUP\)$/);
  }, 60_000);
});
