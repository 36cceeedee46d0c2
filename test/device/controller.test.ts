import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { deviceLimitsOf } from "../../device/controller/device-info.ts";
import type { SessionStatus } from "../../device/controller/types.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { compiled, sessionOf, virtualRig } from "../support/sessions.ts";

const hold = (ms: number): WireProgram => ({
  blocks: [
    {
      durationMs: ms,
      step: 0,
      vib: [{ dtMs: 400, value: 700, ease: "linear" }],
      rot: [{ dtMs: 400, value: -300, ease: "linear" }],
    },
  ],
});

describe("the controller", () => {
  it("pauses (outputs ramp to zero, the program clock stops) and resumes where it was", async () => {
    const { clock, sim, controller } = virtualRig();
    const statuses: SessionStatus[] = [];
    controller.on("session", (status) => statuses.push(status));
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(hold(3000))));
    await clock.advance(1000);
    await clock.runUntil(controller.pause());
    await clock.advance(5000); // paused well past the program's end: it must not end
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    expect(sim.device.core.state.state).toBe("PAUSED");
    const resumedAt = clock.now();
    await clock.runUntil(controller.resume());
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.completed).toBe(true);
    const finished = sim.device.recorder.changes.at(-1)?.tMs ?? 0;
    expect(finished - resumedAt).toBeGreaterThan(1900); // the remaining 2 s of program, then the ramp down
    expect(finished - resumedAt).toBeLessThan(2000 + 400 + 20);
    expect(statuses).toEqual(["uploading", "playing", "paused", "playing", "stopping", "ended"]);
    await clock.runUntil(controller.close());
  });

  it("a soft stop ramps down and ends the session as HOST", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(hold(10_000))));
    await clock.advance(1000);
    const stoppedAt = clock.now();
    await clock.runUntil(controller.stop());
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end).toEqual({ completed: false, reason: "HOST" });
    const changes = sim.device.recorder.changes.filter((c) => c.tMs >= stoppedAt);
    expect(changes.length).toBeGreaterThan(20); // a ramp, not a jump
    expect(changes.at(-1)).toMatchObject({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });

  it("plays a session in several chunks back to back when the device stores less", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { maxBlocks: 3, maxKeys: 24 } });
    const info = await clock.runUntil(controller.connect());
    // Compiled for this device, as the app and the CLI do: the compiler is the one place it is split.
    const session = compiled("daily-hair-care", 12, 80, deviceLimitsOf(info));
    expect(session.chunks.length).toBeGreaterThan(1);
    const starts: string[] = [];
    sim.device.use({
      name: "count START",
      inbound: (line, next) => {
        if (line.startsWith("START")) starts.push(line);
        next(line);
      },
    });
    await clock.runUntil(controller.play(session));
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.completed).toBe(true);
    expect(starts.length).toBe(session.chunks.length);
    const active = sim.device.recorder.changes.filter((c) => c.vib > 0);
    const span = (active.at(-1)?.tMs ?? 0) - (active[0]?.tMs ?? 0);
    expect(Math.abs(span - session.durationMs)).toBeLessThan(3000);
    await clock.runUntil(controller.close());
  });

  it("refuses, before anything moves, a session compiled for a device that stores more", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { maxBlocks: 3, maxKeys: 24 } });
    await clock.runUntil(controller.connect());
    const failure = await clock.runUntil(
      controller.play(compiled("daily-hair-care", 12, 80)).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(isMassagerError(failure, ErrorCode.ProgramTooLarge)).toBe(true);
    expect(String((failure as Error).message)).toMatch(/this device stores 3 blocks and 24 keyframes/);
    expect(sim.device.recorder.changes.filter((c) => c.vib > 0)).toEqual([]);
    await clock.runUntil(controller.close());
  });

  it("an internal failure (a transport that throws) ends the session as ERROR with ESTOP sent", async () => {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock });
    const received: string[] = [];
    sim.device.use({
      name: "tap",
      inbound: (line, next) => {
        received.push(line);
        next(line);
      },
    });
    const controller = new Controller({
      clock,
      transport: () => {
        const transport = sim.connect();
        const send = transport.send.bind(transport);
        let sets = 0;
        transport.send = (line: string) => {
          if (line.startsWith("PING") && ++sets === 3) throw new TypeError("a bug in the transport");
          return send(line);
        };
        return transport;
      },
    });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(hold(10_000))));
    const errors: unknown[] = [];
    controller.on("error", (e) => errors.push(e));
    received.length = 0; // the ESTOP every connection starts with does not count
    await clock.advance(2000);
    expect(received.some((l) => l.startsWith("ESTOP"))).toBe(true);
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    const end = await controller.waitForEnd();
    expect(end.reason).toBe("ERROR");
    expect(errors.length).toBe(1);
    await clock.runUntil(controller.close());
  });

  it("refuses to play when not connected, or while a session plays", async () => {
    const { clock, controller } = virtualRig();
    await expect(controller.play(sessionOf(hold(1000)))).rejects.toSatisfy((e) =>
      isMassagerError(e, ErrorCode.NotConnected),
    );
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(hold(5000))));
    await expect(controller.play(sessionOf(hold(1000)))).rejects.toSatisfy((e) =>
      isMassagerError(e, ErrorCode.SessionInProgress),
    );
    await clock.runUntil(controller.close());
  });
});
