import { afterEach, describe, expect, it } from "vitest";
import { Controller } from "../../device/controller/controller.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { killPid } from "../support/managed-process.ts";
import { sessionOf } from "../support/sessions.ts";
import { haveCommands } from "../support/tools.ts";
import { until } from "../support/wait.ts";

const haveSocat = haveCommands("the pty suite", ["socat"], "apt-get install socat");

/** Step keyframes, so every keyframe is one change at a known time (the slew limit is off in these runs). */
const stairs: WireProgram = {
  blocks: [
    {
      durationMs: 1200,
      step: 0,
      vib: [
        { dtMs: 300, value: 200, ease: "step" },
        { dtMs: 300, value: 700, ease: "step" },
        { dtMs: 300, value: 400, ease: "step" },
        { dtMs: 300, value: 900, ease: "step" },
      ],
      rot: [
        { dtMs: 600, value: 500, ease: "step" },
        { dtMs: 600, value: -500, ease: "step" },
      ],
    },
  ],
};

describe.skipIf(!haveSocat)("the simulator over a real pseudo-terminal (socat)", { timeout: 30_000 }, () => {
  const sims = hostedSimulators();
  afterEach(() => sims.closeAll());

  it("plays a program in real time: every keyframe applied on time", async () => {
    // The device's own trace of its control ticks (device time), to judge each change against.
    const ticks: number[] = [];
    const { host, recorder } = await sims.pty({
      capabilities: { slewMs: 0 },
      sinks: [{ apply: () => {}, tick: (tMs) => ticks.push(tMs) }],
    });
    const controller = new Controller({ transport: () => new SerialTransport({ path: host.address }) });
    await controller.connect();
    await controller.play(sessionOf(stairs));
    const startMs = host.device.core.state.sessionStartMs - host.device.core.originMs;
    const end = await controller.waitForEnd();
    expect(end).toEqual({ completed: true, reason: "DONE" });
    await controller.close();
    // Keyframe k of the program is due at startMs + (its start); the device applies it at that time
    // or on its first tick after it. When that tick comes is the event loop's business (late on a
    // loaded machine), so the change is judged against the device's own ticks, not the wall clock.
    const due = [
      [0, { vib: 200, rot: 500 }],
      [300, { vib: 700, rot: 500 }],
      [600, { vib: 400, rot: -500 }],
      [900, { vib: 900, rot: -500 }],
    ] as const;
    for (const [at, levels] of due) {
      const change = recorder.changes.find((c) => c.vib === levels.vib && c.rot === levels.rot);
      expect(change, `keyframe at ${at} ms`).toBeDefined();
      const dueMs = startMs + at;
      // (The first tick after it: one in the same millisecond as the START may have run just before it.)
      const firstTickMs = ticks.find((tMs) => tMs > dueMs) ?? Number.NaN;
      expect(change?.tMs, `keyframe at ${at} ms applied before it was due`).toBeGreaterThanOrEqual(dueMs);
      expect(change?.tMs, `keyframe at ${at} ms not applied by the tick after it was due`).toBeLessThanOrEqual(
        firstTickMs,
      );
    }
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
  });

  it("a pulled cable (socat killed) leaves the motors off within the watchdog period, and the session ends DISCONNECT", async () => {
    const { host, recorder } = await sims.pty();
    const controller = new Controller({
      transport: () => new SerialTransport({ path: host.address }),
      reconnectWindowMs: 600,
      reconnectInitialDelayMs: 100,
    });
    await controller.connect();
    await controller.play(
      sessionOf({
        blocks: [{ durationMs: 20_000, step: 0, vib: [{ dtMs: 200, value: 800, ease: "linear" }], rot: [] }],
      }),
    );
    // Waits are for events, however late a loaded machine delivers them; the timing is checked below in device time.
    await until(
      () => recorder.current.vib === 800,
      10_000,
      () => "the level to reach 800",
    );
    killPid(host.socatPid);
    const end = await controller.waitForEnd();
    expect(end.reason).toBe("DISCONNECT");
    await until(
      () => host.device.core.state.state === "IDLE",
      10_000,
      () => "the device's watchdog to stop it",
    );
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
    const cutAt = recorder.changes.at(-1)?.tMs ?? 0;
    // The watchdog period, counted by the device from the last frame it read (a heartbeat may still
    // have been in flight at the pull, and how late the device read it is the event loop's business).
    const lastFrameMs = host.device.core.state.lastFrameMs - host.device.core.originMs;
    expect(cutAt - lastFrameMs).toBeGreaterThanOrEqual(1000);
    expect(cutAt - lastFrameMs).toBeLessThanOrEqual(1000 + 5);
    expect(lastFrameMs).toBeLessThan(cutAt);
    expect(host.device.core.state.reason).toBe("WDOG");
    await controller.close();
  });
});
