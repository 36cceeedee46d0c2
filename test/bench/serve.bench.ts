/**
 * `massager serve` under load: 20 clients calling getStatus back to back over keep-alive
 * connections, and 5 event sockets receiving the app's events, while a session plays on the
 * simulated massager, for 30 s (SERVE_BENCH_S to change it). Reports requests per second, the
 * p50/p99 latency of getStatus, the events each socket received, and the server's RSS before and
 * after (the server runs in its own process: serve-server-process.ts).
 */
import { fork } from "node:child_process";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import type { BenchResult } from "./run.ts";

const CLIENTS = 20;
const SOCKETS = 5;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export default async function run(): Promise<BenchResult[]> {
  const seconds = Number(process.env.SERVE_BENCH_S ?? 30);
  const child = fork(fileURLToPath(new URL("./serve-server-process.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const rss = () =>
    new Promise<number>((resolve) => {
      child.once("message", (message) => resolve((message as { rss: number }).rss));
      child.send("rss");
    });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the server process exited (${code})`)));
    });
    const { origin, token } = JSON.parse(first) as { origin: string; token: string };
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const call = (method: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${origin}/api/${method}`,
          {
            method: "POST",
            agent,
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    // A session plays so that status and telemetry flow to the sockets.
    const started = await call(
      "startSession",
      JSON.stringify([{ sourceId: "scalp-circles", minutes: 2, intensity: 60 }]),
    );
    if (started !== 200) throw new Error(`startSession answered ${started}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssBefore = await rss();

    const received: number[] = Array(SOCKETS).fill(0);
    const sockets = await Promise.all(
      Array.from({ length: SOCKETS }, (_, index) => {
        const socket = new WebSocket(`${origin.replace("http", "ws")}/api/events`, ["massager.v1", `token.${token}`]);
        socket.on("message", () => {
          received[index] = (received[index] ?? 0) + 1;
        });
        return new Promise<WebSocket>((resolve, reject) => {
          socket.once("open", () => resolve(socket));
          socket.once("error", reject);
        });
      }),
    );

    const latencies: number[] = [];
    let failures = 0;
    const end = performance.now() + seconds * 1000;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          const status = await call("getStatus", "[]").catch(() => 0);
          latencies.push(performance.now() - t);
          if (status !== 200) failures++;
        }
      }),
    );
    const elapsedS = (performance.now() - began) / 1000;
    const rssAfter = await rss();
    for (const socket of sockets) socket.close();
    agent.destroy();
    await call("stopSession", "[]").catch(() => 0);
    const perSocket = received.reduce((sum, count) => sum + count, 0) / SOCKETS;
    return [
      {
        name: `getStatus, ${CLIENTS} clients + ${SOCKETS} event sockets, ${seconds} s`,
        value: latencies.length / elapsedS,
        unit: "req/s",
      },
      { name: "getStatus latency, p50", value: quantile(latencies, 0.5), unit: "ms" },
      { name: "getStatus latency, p99", value: quantile(latencies, 0.99), unit: "ms" },
      { name: "failed requests", value: failures, unit: "", aim: "0" },
      { name: "events received per socket", value: Math.round(perSocket), unit: "" },
      { name: "server RSS before", value: rssBefore / 1e6, unit: "MB" },
      {
        name: "server RSS after",
        value: rssAfter / 1e6,
        unit: "MB",
        note: "rate limit raised for the run (default 50/s per client address)",
      },
    ];
  } finally {
    child.send("stop");
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(undefined);
      }, 5000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  }
}
