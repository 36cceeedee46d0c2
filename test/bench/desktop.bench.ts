/**
 * The desktop UI in Debian's Chromium: how long `massager serve` takes from its start to the
 * first rendered page, and whether the live chart keeps up with 50 telemetry updates a second
 * (frame times and samples drawn, measured in the browser while a session plays).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createConnector } from "../../device/app/connect.ts";
import { createDeviceLister } from "../../device/app/list-devices.ts";
import { ensureRendererBuilt } from "../../device/serve/renderer-build.ts";
import { createToken } from "../../device/serve/token.ts";
import { chromiumMissing, launchChromium } from "../desktop/browser.ts";
import { startAppServer } from "../support/app-server.ts";
import { startServe } from "../support/serve-process.ts";
import type { BenchResult } from "./run.ts";

const HEADING = "What would you like today?";

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export default async function run(): Promise<BenchResult[]> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  await ensureRendererBuilt();
  const browser = await launchChromium();
  try {
    return [
      ...(await timeToFirstPage(browser, 5)),
      ...(await chartKeepsUp(browser, 20, 8000)),
      ...(await chartKeepsUp(browser, 10, 8000)),
    ];
  } finally {
    await browser.close();
  }
}

/** Spawns `massager serve`, opens its URL and waits for the start screen's heading; `runs` times. */
async function timeToFirstPage(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  runs: number,
): Promise<BenchResult[]> {
  const toUrl: number[] = [];
  const toPage: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), "massager-bench-"));
    const start = performance.now();
    const serve = await startServe(["--data-dir", dataDir]);
    toUrl.push(performance.now() - start);
    const page = await browser.context.newPage();
    try {
      await page.goto(serve.url);
      await page.getByRole("heading", { name: HEADING }).waitFor();
      toPage.push(performance.now() - start);
    } finally {
      await page.close();
      await serve.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return [
    {
      name: "massager serve start to URL printed, median",
      value: quantile(toUrl, 0.5),
      unit: "ms",
      note: `${runs} runs`,
    },
    { name: "massager serve start to first rendered page, median", value: quantile(toPage, 0.5), unit: "ms" },
    { name: "massager serve start to first rendered page, max", value: Math.max(...toPage), unit: "ms" },
  ];
}

/**
 * In-page script: records every animation frame's duration for `ms`, and how many samples the
 * live chart drew meanwhile. A string, so the bundler's helpers (tsx adds `__name`) stay out of the page.
 */
function measureFrames(ms: number): string {
  return `new Promise((resolve) => {
    const chart = document.querySelector('.chart[aria-label="Vibration and rotation: planned and applied"]');
    const points = () => Number(chart?.dataset.points ?? 0);
    const frames = [];
    const first = points();
    const start = performance.now();
    let last = start;
    const frame = (now) => {
      frames.push(now - last);
      last = now;
      if (now - start < ${ms}) requestAnimationFrame(frame);
      else resolve({ frames: frames.slice(1), drawn: points() - first, elapsed: performance.now() - start });
    };
    requestAnimationFrame(frame);
  })`;
}

/**
 * Plays a session on the simulator asking for telemetry every `telemetryMs` (20 ms: 50 a second
 * nominally; 10 ms: more than that) and records, in the page, every frame and every sample the chart drew.
 */
async function chartKeepsUp(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  telemetryMs: number,
  windowMs: number,
): Promise<BenchResult[]> {
  const token = createToken();
  const app = await startAppServer({
    token,
    folder: "massager-bench-",
    core: {
      connect: createConnector({ controller: { telemetryMs } }),
      listDevices: createDeviceLister({ firmata: false }),
    },
  });
  const { core, server } = app;
  // The one-time safety screen has its own test (browser-phone): the bench starts straight away.
  await core.saveSettings({ ...(await core.settings.get()), safetySeen: true });
  let telemetry = 0;
  core.on("event", (event) => {
    if (event.type === "telemetry") telemetry++;
  });
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.origin}/?token=${token}`);
    await page.getByRole("heading", { name: HEADING }).waitFor();
    await page.click("[data-action=recommend]");
    await page.click("[data-action=take-recommendation]");
    await page.locator("[data-plan-minutes]").waitFor();
    await page.click("[data-action=start-session]");
    await page.locator("[data-status=playing]").waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1000);
    const sentBefore = telemetry;
    const measured = (await page.evaluate(measureFrames(windowMs))) as {
      frames: number[];
      drawn: number;
      elapsed: number;
    };
    const sent = telemetry - sentBefore;
    const seconds = measured.elapsed / 1000;
    const long = measured.frames.filter((ms) => ms > 50).length;
    const at = `TELEM ${telemetryMs} ms:`;
    return [
      { name: `${at} telemetry sent to the page`, value: sent / seconds, unit: "per s", aim: ">= 50" },
      { name: `${at} samples drawn by the live chart`, value: measured.drawn / seconds, unit: "per s", aim: "= sent" },
      { name: `${at} frame rate while the chart updates`, value: measured.frames.length / seconds, unit: "fps" },
      { name: `${at} frame time, median`, value: quantile(measured.frames, 0.5), unit: "ms" },
      { name: `${at} frame time, p95`, value: quantile(measured.frames, 0.95), unit: "ms" },
      { name: `${at} frame time, max`, value: Math.max(...measured.frames), unit: "ms" },
      { name: `${at} frames over 50 ms`, value: long, unit: "frames", note: `of ${measured.frames.length}` },
    ];
  } finally {
    await page.close();
    await app.close();
  }
}
