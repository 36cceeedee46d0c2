import { afterEach, describe, expect, it } from "vitest";
import { RealClock, VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import type { ConnectionStatus } from "../../device/controller/types.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import type { MemoryTransport } from "../../device/transport/memory.ts";
import { TcpTransport } from "../../device/transport/tcp.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { sessionOf } from "../support/sessions.ts";
import { sleep, until } from "../support/wait.ts";

/** Two steps of `stepMs` each; step 1 vibrates at 500 with rotation 400. */
const twoSteps = (stepMs: number): WireProgram => ({
  blocks: [
    { durationMs: stepMs, step: 0, vib: [{ dtMs: 200, value: 300, ease: "linear" }], rot: [] },
    {
      durationMs: stepMs,
      step: 1,
      vib: [{ dtMs: 200, value: 500, ease: "linear" }],
      rot: [{ dtMs: 200, value: 400, ease: "linear" }],
    },
  ],
});

describe("reconnecting after a lost link", () => {
  it("resumes from the start of the step that was playing, with a fresh ramp-in (in memory)", async () => {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock });
    let link: MemoryTransport | undefined;
    const controller = new Controller({
      clock,
      transport: () => {
        link = sim.connect() as MemoryTransport;
        return link;
      },
    });
    const statuses: ConnectionStatus[] = [];
    controller.on("connection", (status) => statuses.push(status));
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(twoSteps(4000))));
    await clock.advance(5000); // one second into step 1
    expect(sim.device.recorder.current).toEqual({ vib: 500, rot: 400 });
    const severedAt = clock.now();
    link?.sever();
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end).toEqual({ completed: true, reason: "DONE" });
    expect(statuses).toEqual(["connecting", "connected", "reconnecting", "reconnecting", "connected"]);
    const after = sim.device.recorder.changes.filter((c) => c.tMs > severedAt);
    // The reconnect stops the device (ESTOP), then step 1 plays again from zero for its full 4 s.
    const restart = after.findIndex((c) => c.vib === 0 && c.rot === 0);
    expect(restart).toBeGreaterThanOrEqual(0);
    const ramp = after.slice(restart + 1, restart + 5).map((c) => c.vib);
    expect(ramp.every((v, i) => v > 0 && v <= 500 && (i === 0 || v >= (ramp[i - 1] ?? 0)))).toBe(true);
    const restartedAt = after[restart]?.tMs ?? 0;
    const finished = sim.device.recorder.changes.at(-1)?.tMs ?? 0;
    expect(finished - restartedAt).toBeGreaterThan(4000);
    expect(finished - restartedAt).toBeLessThan(4000 + 600);
    await clock.runUntil(controller.close());
  });

  it("ends the session as DISCONNECT when the device does not come back in time", async () => {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock });
    let link: MemoryTransport | undefined;
    let attempts = 0;
    const controller = new Controller({
      clock,
      reconnectWindowMs: 2000,
      transport: () => {
        attempts++;
        link = sim.connect() as MemoryTransport;
        if (attempts > 1) sim.device.stop(); // powered off: it never answers again
        return link;
      },
    });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(twoSteps(4000))));
    await clock.advance(1000);
    link?.sever();
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.reason).toBe("DISCONNECT");
    expect(end.error?.message).toMatch(/could not reconnect within 2 s/);
    expect(controller.connection).toBe("disconnected");
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });
});

describe("reconnecting to a simulator that was killed and restarted (TCP)", () => {
  const sims = hostedSimulators();
  afterEach(() => sims.closeAll());

  it("picks the session up again on the restarted simulator", async () => {
    const { host, recorder: first } = await sims.tcp();
    const port = Number(host.address.split(":")[1]);
    const controller = new Controller({
      clock: new RealClock(),
      transport: () => new TcpTransport({ host: "127.0.0.1", port }),
      reconnectInitialDelayMs: 100,
    });
    const steps: number[] = [];
    controller.on("step", (step) => steps.push(step.index));
    await controller.connect();
    await controller.play(sessionOf(twoSteps(1500)));
    await until(() => steps.includes(1), 5000);
    await sleep(300);
    expect(first.current).toEqual({ vib: 500, rot: 400 });
    await sims.close(host); // the simulator dies: its outputs go to zero with it
    expect(first.current).toEqual({ vib: 0, rot: 0 });
    await sleep(300);
    const { host: restarted, recorder: second } = await sims.tcp(port);
    const end = await controller.waitForEnd();
    expect(end).toEqual({ completed: true, reason: "DONE" });
    // The restarted device played step 1 from its start: its peak is step 1's level, for 1.5 s, then a
    // ramp down (500 at 2.5 per ms: 200 ms). In device time from its START, so how late its ticks ran
    // on a loaded machine does not count: the program's end and the ramp's are scheduled exactly.
    const active = second.changes.filter((c) => c.vib > 0);
    expect(Math.max(...active.map((c) => c.vib))).toBe(500);
    const startedMs = restarted.device.core.state.sessionStartMs - restarted.device.core.originMs;
    const playedMs = (active.at(-1)?.tMs ?? 0) - startedMs;
    expect(playedMs).toBeGreaterThanOrEqual(1500);
    expect(playedMs).toBeLessThanOrEqual(1500 + 200 + 5);
    expect(second.current).toEqual({ vib: 0, rot: 0 });
    await controller.close();
  });
});
