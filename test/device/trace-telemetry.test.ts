/**
 * `massager play --trace` on a device that is not the built-in simulator: the rows come from the
 * device's TM telemetry, in device time from the session's start. Played here against
 * `massager simulate --pty` over a real pseudo-terminal, whose own `--trace` is the exact change
 * log to hold the telemetry trace to.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";
import { haveCommands } from "../support/tools.ts";

const haveSocat = haveCommands("the play --trace suite", ["socat"], "apt-get install socat");
const dir = mkdtempSync(join(tmpdir(), "massager-trace-"));

afterEach(() => stopAll());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = [tMs: number, vibration: number, rotation: number];

function readTrace(path: string): Row[] {
  const [header, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  expect(header).toBe("t_ms,vibration,rotation");
  return rows.map((row) => row.split(",").map(Number) as Row);
}

/** The level an exact change log holds at time `t`: its last change at or before `t`. */
function levelAt(changes: Row[], t: number): [number, number] {
  let found: Row | undefined;
  for (const change of changes) {
    if (change[0] > t) break;
    found = change;
  }
  return [found?.[1] ?? 0, found?.[2] ?? 0];
}

describe.skipIf(!haveSocat)("play --trace from a device's telemetry (simulate --pty)", { timeout: 60_000 }, () => {
  it("writes the session as the device reported it: from 0,0,0 to zero, in device time from START", async () => {
    const simTrace = join(dir, "sim.csv");
    const playTrace = join(dir, "play.csv");
    const sim = startMassager(["simulate", "--pty", "--trace", simTrace], 40_000);
    const pty = (await sim.line(/^pty: /, 20_000)).slice("pty: ".length);
    const play = startMassager(
      ["play", "scalp-circles", "--minutes", "0.05", "--device", `serial:${pty}`, "--trace", playTrace, "--json"],
      30_000,
    );
    expect(await play.exited, play.stderr()).toBe(0);
    sim.child.kill("SIGTERM");
    expect(await sim.exited).toBe(130);

    const rows = readTrace(playTrace);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]).toEqual([0, 0, 0]);
    expect(rows.at(-1)?.slice(1)).toEqual([0, 0]);
    for (let i = 1; i < rows.length; i++) {
      const [t, v, r] = rows[i] as Row;
      expect(t).toBeGreaterThan((rows[i - 1] as Row)[0]);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(Math.abs(r)).toBeLessThanOrEqual(1);
      // One row per change: a sample equal to the one before is not written.
      expect([v, r]).not.toEqual((rows[i - 1] as Row).slice(1));
    }
    // Sampled at the protocol's default telemetry period (50 ms): the levels change at every sample.
    const gaps = rows.slice(2).map(([t], i) => t - (rows[i + 1] as Row)[0]);
    const medianGap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    expect(medianGap).toBeGreaterThanOrEqual(45);
    expect(medianGap).toBeLessThanOrEqual(60);
    // Device time from START: the 3 s program's last motion is just before 3000 ms.
    const lastActive = rows.filter(([, v, r]) => v !== 0 || r !== 0).at(-1)?.[0] ?? 0;
    expect(lastActive).toBeGreaterThan(2700);
    expect(lastActive).toBeLessThanOrEqual(3000);

    // Every telemetry row is what the simulator applied at that device time, for one fixed offset:
    // its START. The first motion follows START at the simulator's next tick (the program eases in
    // from zero; a loaded machine may run that tick late); an origin at boot or at the first TM would
    // put it far off or before.
    const applied = readTrace(simTrace);
    const firstMotion = applied.find(([, v, r]) => v !== 0 || r !== 0)?.[0] ?? Number.NaN;
    const offsets: number[] = [];
    for (let offset = firstMotion - 1000; offset <= firstMotion; offset++) {
      if (rows.every(([t, v, r]) => t === 0 || levelAt(applied, t + offset).join() === [v, r].join()))
        offsets.push(offset);
    }
    expect(offsets.length).toBeGreaterThan(0);
    const start = offsets[0] as number;
    expect(firstMotion - start).toBeGreaterThanOrEqual(0);
    expect(firstMotion - start).toBeLessThanOrEqual(500);
  });
});
