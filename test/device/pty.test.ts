import { afterEach, describe, expect, it } from "vitest";
import { RealClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { SerialTransport } from "../../device/transport/serial.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { hostedSimulators } from "../support/hosted-simulators.ts";
import { killPid } from "../support/managed-process.ts";
import { sessionOf } from "../support/sessions.ts";
import { haveCommands } from "../support/tools.ts";
import { sleep } from "../support/wait.ts";

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
    const { host, recorder } = await sims.pty({ capabilities: { slewMs: 0 } });
    const controller = new Controller({ transport: () => new SerialTransport({ path: host.address }) });
    await controller.connect();
    await controller.play(sessionOf(stairs));
    const startMs = host.device.core.state.sessionStartMs - host.device.core.originMs;
    const end = await controller.waitForEnd();
    expect(end).toEqual({ completed: true, reason: "DONE" });
    await controller.close();
    // Keyframe k of the program is due at startMs + (its start); the device applies it on its next 5 ms tick.
    const due = [
      [0, { vib: 200, rot: 500 }],
      [300, { vib: 700, rot: 500 }],
      [600, { vib: 400, rot: -500 }],
      [900, { vib: 900, rot: -500 }],
    ] as const;
    for (const [at, levels] of due) {
      const change = recorder.changes.find((c) => c.vib === levels.vib && c.rot === levels.rot);
      expect(change, `keyframe at ${at} ms`).toBeDefined();
      const error = (change?.tMs ?? 0) - (startMs + at);
      expect(error, `keyframe at ${at} ms applied ${error} ms late`).toBeGreaterThanOrEqual(0);
      // Correctness, not speed (npm run bench measures that): on time give or take a busy event loop.
      expect(error).toBeLessThanOrEqual(100);
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
    await sleep(700);
    expect(recorder.current.vib).toBe(800);
    const clock = new RealClock();
    const pulledAt = clock.now();
    killPid(host.socatPid);
    const end = await controller.waitForEnd();
    expect(end.reason).toBe("DISCONNECT");
    await sleep(1100 - (clock.now() - pulledAt));
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
    const cutAt = recorder.changes.at(-1)?.tMs ?? 0;
    const pulledDeviceMs = pulledAt - host.device.core.originMs;
    expect(cutAt - pulledDeviceMs).toBeLessThanOrEqual(1000 + 5 + 20);
    expect(host.device.core.state.reason).toBe("WDOG");
    await controller.close();
  });
});
