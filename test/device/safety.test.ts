import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import type { SessionEnd } from "../../device/controller/types.ts";
import { ALL_CAPABILITIES } from "../../device/reference-device/capabilities.ts";
import type { Behaviour } from "../../device/simulator/behaviours.ts";
import {
  answerGarbage,
  delayLines,
  dropLines,
  goSilent,
  reportProtocol,
  resetOn,
  truncateLines,
} from "../../device/simulator/behaviours.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { encode } from "../../protocol/codec.ts";
import { Capability } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { sessionOf, virtualRig } from "../support/sessions.ts";

const steady = (ms: number, vib = 800, rot = 600): WireProgram => ({
  blocks: [
    {
      durationMs: ms / 2,
      step: 0,
      vib: [{ dtMs: 500, value: vib, ease: "linear" }],
      rot: [{ dtMs: 500, value: rot, ease: "linear" }],
    },
    {
      durationMs: ms / 2,
      step: 1,
      vib: [{ dtMs: 500, value: vib / 2, ease: "linear" }],
      rot: [{ dtMs: 500, value: -rot, ease: "linear" }],
    },
  ],
});

/** Records every line in one direction without changing it. */
function tap(into: string[], direction: "inbound" | "outbound"): Behaviour {
  return {
    name: "tap",
    [direction]: (line: string, next: (l: string) => void) => {
      into.push(line);
      next(line);
    },
  };
}

describe("safety on the simulated device", () => {
  it("a silent host leaves the motors off within the watchdog period plus one tick", async () => {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock });
    const host = sim.connect();
    await host.open();
    const frames: HostMessageLine[] = [
      { type: "LOAD", seq: 1, blocks: 1, totalMs: 60_000 },
      { type: "BLK", seq: 2, durationMs: 60_000, step: 0 },
      { type: "KEY", seq: 3, track: "V", keys: [{ dtMs: 300, value: 900, ease: "linear" }] },
      { type: "COMMIT", seq: 4 },
      { type: "START", seq: 5, vibCap: 1000, rotCap: 1000, limitS: 600 },
    ];
    for (const frame of frames) await host.send(encode(frame));
    await clock.advance(1);
    const lastFrameMs = clock.now();
    await clock.advance(500);
    expect(sim.device.recorder.current.vib).toBe(900);
    await clock.advance(1000 + 5 - 500);
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    const cut = sim.device.recorder.changes.at(-1);
    expect(cut?.tMs).toBeLessThanOrEqual(lastFrameMs + 1000 + 5);
    expect(sim.device.core.state.reason).toBe("WDOG");
  });

  it("an emergency stop puts the applied outputs at zero at the same instant", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(20_000))));
    await clock.advance(3000);
    expect(sim.device.recorder.current.vib).toBeGreaterThan(0);
    const calledAt = clock.now();
    await clock.runUntil(controller.emergencyStop());
    const last = sim.device.recorder.changes.at(-1);
    expect(last).toMatchObject({ vib: 0, rot: 0 });
    expect(last?.tMs).toBe(calledAt);
    expect(await controller.waitForEnd()).toMatchObject({ completed: false, reason: "ESTOP" });
    await clock.runUntil(controller.close());
  });

  it("an emergency stop during the upload jumps the queue: START is never sent, nothing moves", async () => {
    const { clock, sim, controller } = virtualRig({ latencyMs: 5 });
    const inbound: string[] = [];
    sim.device.use(tap(inbound, "inbound"));
    await clock.runUntil(controller.connect());
    const playing = controller.play(sessionOf(steady(20_000)));
    playing.catch(() => {});
    await clock.advance(12);
    await clock.runUntil(controller.emergencyStop());
    await expect(clock.runUntil(playing)).rejects.toSatisfy((e) => isMassagerError(e, ErrorCode.SessionAborted));
    await clock.advance(2000);
    expect(inbound.some((l) => l.startsWith("ESTOP"))).toBe(true);
    expect(inbound.some((l) => l.startsWith("START"))).toBe(false);
    expect(sim.device.recorder.changes.every((c) => c.vib === 0 && c.rot === 0)).toBe(true);
    await clock.runUntil(controller.close());
  });

  it("ends the session at the device's limit, ramping down", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { maxSessionS: 2 } });
    await clock.runUntil(controller.connect());
    // A 2 s session fits the limit; a pause makes it run into it.
    await clock.runUntil(controller.play(sessionOf(steady(2000))));
    const startMs = sim.device.core.state.sessionStartMs;
    await clock.advance(500);
    await clock.runUntil(controller.pause());
    await clock.advance(1000);
    await clock.runUntil(controller.resume());
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.reason).toBe("LIMIT");
    const zeroAt = sim.device.recorder.changes.at(-1)?.tMs ?? 0;
    expect(zeroAt - startMs).toBeGreaterThanOrEqual(2000);
    expect(zeroAt - startMs).toBeLessThanOrEqual(2000 + 400 + 5);
    await clock.runUntil(controller.close());
  });

  it("refuses, before anything moves, a session longer than the device allows, naming its limit", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { maxSessionS: 2 } });
    await clock.runUntil(controller.connect());
    const played = clock.runUntil(controller.play(sessionOf(steady(10_000)))).catch((error: unknown) => error);
    const failure = await played;
    expect(isMassagerError(failure, ErrorCode.SessionTooLong)).toBe(true);
    expect((failure as Error).message).toContain("its maxSessionS 2 s");
    expect((failure as Error).message).not.toContain("\n");
    await clock.advance(1000);
    expect(sim.device.core.state.program).toBeUndefined();
    expect(sim.device.recorder.changes.every((c) => c.vib === 0 && c.rot === 0)).toBe(true);
    // Nothing of the refused session is left: one that fits plays to its end right after.
    await clock.runUntil(controller.play(sessionOf(steady(1000))));
    expect(await clock.runUntil(controller.waitForEnd())).toMatchObject({ completed: true });
    await clock.runUntil(controller.close());
  });

  it("never applies more than the device's caps or the session's caps", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { vibCap: 300, rotCap: 900 } });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(4000, 1000, 1000), { vibration: 1, rotation: 0.25 })));
    await clock.runUntil(controller.waitForEnd());
    const changes = sim.device.recorder.changes;
    expect(Math.max(...changes.map((c) => c.vib))).toBe(300);
    expect(Math.max(...changes.map((c) => Math.abs(c.rot)))).toBe(250);
    await clock.runUntil(controller.close());
  });

  it("streams to a device without program playback, latest setpoint wins, never a backlog", async () => {
    const { clock, sim, controller } = virtualRig({
      capabilities: { caps: ALL_CAPABILITIES & ~Capability.Program },
      latencyMs: 15,
      controller: { streamIntervalMs: 5 },
    });
    let inFlight = 0;
    let maxInFlight = 0;
    let sets = 0;
    sim.device.use({
      name: "count SETs",
      inbound: (line, next) => {
        if (line.startsWith("SET ")) {
          sets++;
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
        }
        next(line);
      },
      outbound: (line, next) => {
        next(line);
      },
    });
    controller.on("telemetry", () => {});
    const okSeqs = new Set<string>();
    sim.device.use({
      name: "ack",
      outbound: (line, next) => {
        if (line.startsWith("OK ")) okSeqs.add(line);
        if (line.startsWith("OK ") && inFlight > 0) inFlight--;
        next(line);
      },
    });
    await clock.runUntil(controller.connect());
    expect(controller.info?.program).toBe(false);
    const program = steady(4000);
    await clock.runUntil(controller.play(sessionOf(program)));
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end).toEqual({ completed: true, reason: "DONE" });
    // A 30 ms round trip allows one SET per 30 ms; a stream every 5 ms without coalescing would send 800.
    expect(sets).toBeLessThan(4000 / 30 + 10);
    expect(sets).toBeGreaterThan(4000 / 30 - 10);
    expect(maxInFlight).toBeLessThanOrEqual(2); // one SET, plus at most a PING sharing the link
    const peak = Math.max(...sim.device.recorder.changes.map((c) => c.vib));
    expect(peak).toBeGreaterThan(780);
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });

  it("a garbled line while streaming faults the device: outputs cut, session ended FAULT", async () => {
    const { clock, sim, controller } = virtualRig({ capabilities: { caps: ALL_CAPABILITIES & ~Capability.Program } });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(10_000))));
    await clock.advance(1500);
    expect(sim.device.recorder.current.vib).toBeGreaterThan(0);
    const off = sim.device.use(truncateLines("inbound"));
    const end = await clock.runUntil(controller.waitForEnd());
    off();
    expect(end.reason).toBe("FAULT");
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });

  it("truncated lines while playing a program are only refused: the program plays on", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(6000))));
    const off = sim.device.use(truncateLines("inbound"));
    await clock.advance(600); // PINGs arrive cut short: ER 0 10x, not a fault
    off();
    expect(sim.device.core.state.state).toBe("PLAYING");
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.completed).toBe(true);
    await clock.runUntil(controller.close());
  });

  it.each([
    ["answers garbage", answerGarbage(), /not protocol frames/],
    ["says nothing", goSilent(), /sent nothing/],
    ["speaks protocol 2", reportProtocol(2), /protocol version 2/],
  ])("refuses a device that %s, before anything moves", async (_name, behaviour, message) => {
    const { clock, sim, controller } = virtualRig();
    sim.device.use(behaviour);
    const failure = await clock.runUntil(
      controller.connect().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(isMassagerError(failure, ErrorCode.HandshakeFailed)).toBe(true);
    expect((failure as Error).message).toMatch(message);
    expect(sim.device.recorder.changes.every((c) => c.vib === 0 && c.rot === 0)).toBe(true);
    expect(controller.connection).toBe("disconnected");
  });

  it("a device that resets mid-session ends the session (BOOT) with its outputs off", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(20_000))));
    await clock.advance(2000);
    expect(sim.device.recorder.current.vib).toBeGreaterThan(0);
    sim.device.use(resetOn(/^PING/));
    const end: SessionEnd = await clock.runUntil(controller.waitForEnd());
    expect(end.reason).toBe("BOOT");
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
  });

  it("tolerates a slow device (300 ms replies) and occasional lost PING replies", async () => {
    const rig = virtualRig({ controller: { requestTimeoutMs: 500 } });
    rig.sim.device.use(delayLines(300, "outbound"));
    await rig.clock.runUntil(rig.controller.connect());
    await rig.clock.runUntil(rig.controller.play(sessionOf(steady(4000))));
    const drop = rig.sim.device.use(dropLines({ direction: "outbound", every: 2, match: /^OK \d+\*/ }));
    await rig.clock.advance(1500); // every other PING reply lost is not a lost link
    drop();
    const end = await rig.clock.runUntil(rig.controller.waitForEnd());
    expect(end).toEqual({ completed: true, reason: "DONE" });
    await rig.clock.runUntil(rig.controller.close());
  });

  it("close() stops the motors before letting go of the link", async () => {
    const { clock, sim, controller } = virtualRig();
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(20_000))));
    await clock.advance(1000);
    expect(sim.device.recorder.current.vib).toBeGreaterThan(0);
    const closedAt = clock.now();
    await clock.runUntil(controller.close());
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    expect(sim.device.recorder.changes.at(-1)?.tMs).toBe(closedAt);
  });
});

type HostMessageLine = Parameters<typeof encode>[0];
