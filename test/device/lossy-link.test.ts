/**
 * Issue 11 part 3: the link survives one lost frame. Each try drops exactly one line, chosen by
 * a seeded generator: a frame from the host (any), or a reply or state frame from the device
 * (OK, ID, ST; a lost TM only delays a chart). The session must still complete, in virtual time.
 */
import { describe, expect, it } from "vitest";
import type { SessionEnd } from "../../device/controller/types.ts";
import type { Behaviour } from "../../device/simulator/behaviours.ts";
import type { MassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { sessionOf, virtualRig } from "../support/sessions.ts";

/** Four 1 s blocks in two steps; the device stores two blocks, so the session is two programs (an upload mid-session). */
const program: WireProgram = {
  blocks: [0, 0, 1, 1].map((step, i) => ({
    durationMs: 1000,
    step,
    vib: [{ dtMs: 300, value: 300 + 100 * i, ease: "linear" as const }],
    rot: [{ dtMs: 300, value: step === 0 ? 200 : -200, ease: "linear" as const }],
  })),
};

/** Split as the compiler splits for a device that stores two blocks (at the step boundary). */
const twoChunks = {
  ...sessionOf(program),
  chunks: [{ blocks: program.blocks.slice(0, 2) }, { blocks: program.blocks.slice(2) }],
};

const steady6s: WireProgram = {
  blocks: [{ durationMs: 6000, step: 0, vib: [{ dtMs: 300, value: 500, ease: "linear" }], rot: [] }],
};

const counted = (direction: "inbound" | "outbound", line: string) => direction === "inbound" || !line.startsWith("TM ");

/** Counts the lines a clean run carries, per direction (only those a try may drop). */
function counter(counts: { inbound: number; outbound: number }): Behaviour {
  return {
    name: "count",
    inbound: (line, next) => {
      counts.inbound++;
      next(line);
    },
    outbound: (line, next) => {
      if (counted("outbound", line)) counts.outbound++;
      next(line);
    },
  };
}

/** Drops the `index`-th countable line in `direction`, and nothing else. */
function dropOne(direction: "inbound" | "outbound", index: number, dropped: string[]): Behaviour {
  let seen = 0;
  const handler = (line: string, next: (line: string) => void) => {
    if (counted(direction, line) && ++seen === index) {
      dropped.push(line);
      return;
    }
    next(line);
  };
  return { name: `drop ${direction} #${index}`, [direction]: handler };
}

async function run(
  behaviour: Behaviour | undefined,
): Promise<{ end: SessionEnd; errors: unknown[]; reasons: string[] }> {
  const { clock, sim, controller } = virtualRig({ capabilities: { maxBlocks: 2 } });
  if (behaviour) sim.device.use(behaviour);
  const errors: unknown[] = [];
  const reasons: string[] = [];
  controller.on("error", (error) => errors.push(error));
  controller.on("deviceState", (_state, reason) => reasons.push(reason));
  let end: SessionEnd;
  try {
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(twoChunks));
    end = await clock.runUntil(controller.waitForEnd());
  } catch (error) {
    end = { completed: false, reason: "ERROR", error: error as MassagerError };
  }
  await clock.runUntil(controller.close());
  return { end, errors, reasons };
}

describe("a link that loses one frame", () => {
  it("completes the session whichever single frame or reply is lost (60 seeded tries)", async () => {
    const counts = { inbound: 0, outbound: 0 };
    const clean = await run(counter(counts));
    expect(clean.end).toEqual({ completed: true, reason: "DONE" });
    expect(counts.inbound).toBeGreaterThan(20);
    const failures: string[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const next = seededRandom(seed);
      const direction = next() < 0.5 ? "inbound" : "outbound";
      const index = 1 + Math.floor(next() * counts[direction]);
      const dropped: string[] = [];
      const { end, errors, reasons } = await run(dropOne(direction, index, dropped));
      if (dropped.length !== 1) failures.push(`seed ${seed}: nothing was dropped (${direction} #${index})`);
      if (!end.completed || errors.length > 0 || reasons.includes("WDOG")) {
        failures.push(
          `seed ${seed}: dropped ${direction} ${JSON.stringify(dropped[0])}: ${end.reason} ${String(end.error?.message ?? errors[0] ?? "")}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it("keeps the heartbeat on its own schedule while replies are lost: the device hears the host 3+ times per watchdog period", async () => {
    const { clock, sim, controller } = virtualRig();
    const heardAt: number[] = [];
    let losing = false;
    sim.device.use({
      name: "tap and lose replies",
      inbound: (line, next) => {
        heardAt.push(clock.now());
        next(line);
      },
      outbound: (line, next) => {
        if (!(losing && line.startsWith("OK "))) next(line);
      },
    });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady6s)));
    await clock.advance(1000);
    const from = clock.now();
    losing = true; // every reply lost for 900 ms: less than the timeout, so the link is not given up
    await clock.advance(900);
    losing = false;
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end).toEqual({ completed: true, reason: "DONE" });
    const during = heardAt.filter((t) => t >= from - 300 && t <= from + 1200);
    const gaps = during.slice(1).map((t, i) => t - (during[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1000 / 3);
    await clock.runUntil(controller.close());
  });
});
