/**
 * Issue 11 parts 1–4, host side: the stop byte before ESTOP, live intensity (GAIN) and its
 * fallback, the stop on a lost link, and a 1.1 host with a 1.0 device (and a 1.0 host with a 1.1
 * device). All in virtual time on the simulator.
 */
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { FrameLink } from "../../device/controller/link.ts";
import type { ControllerOptions } from "../../device/controller/options.ts";
import { ALL_CAPABILITIES, type DeviceCapabilities } from "../../device/reference-device/capabilities.ts";
import { goSilent } from "../../device/simulator/behaviours.ts";
import { createInProcessSimulator, type InProcessSimulator } from "../../device/simulator/in-process.ts";
import { compileSession, getRoutine } from "../../patterns/index.ts";
import { Capability } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { STOP_BYTE_CHAR } from "../../protocol/limits.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { uploadFrames } from "../../protocol/upload.ts";
import { sessionOf } from "../support/sessions.ts";

interface Rig {
  clock: VirtualClock;
  sim: InProcessSimulator;
  controller: Controller;
  /** Every line the device received, with the clock time. */
  inbound: { tMs: number; line: string }[];
}

function rig(
  protocol: "1.0" | "1.1",
  options: { capabilities?: Partial<DeviceCapabilities>; controller?: Partial<ControllerOptions> } = {},
): Rig {
  const clock = new VirtualClock();
  const sim = createInProcessSimulator({
    clock,
    protocol,
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
  });
  const inbound: Rig["inbound"] = [];
  sim.device.use({
    name: "tap",
    inbound: (line, next) => {
      inbound.push({ tMs: clock.now(), line });
      next(line);
    },
  });
  const controller = new Controller({ transport: sim.connect, clock, ...options.controller });
  return { clock, sim, controller, inbound };
}

const steady = (ms: number, vib = 800, rot = 600): WireProgram => ({
  blocks: [
    {
      durationMs: ms,
      step: 0,
      vib: [{ dtMs: 200, value: vib, ease: "linear" }],
      rot: [{ dtMs: 200, value: rot, ease: "linear" }],
    },
  ],
});

/** A routine compiled for a device with (or without) live intensity. */
function routine(gain: boolean, intensity = 60) {
  const source = getRoutine("daily-hair-care");
  if (!source) throw new Error("no routine daily-hair-care");
  return compileSession(source, {
    minutes: 1,
    intensity,
    device: { maxBlocks: 16, maxKeys: 96, vibrationCap: 1, rotationCap: 1, gain },
  });
}

describe("protocol 1.1, host side", () => {
  it("an emergency stop on a 1.1 device: the stop byte acts before the ESTOP frame even arrives", async () => {
    const { clock, sim, controller, inbound } = rig("1.1");
    const info = await clock.runUntil(controller.connect());
    expect(info).toMatchObject({ stopByte: true, gain: true });
    await clock.runUntil(controller.play(sessionOf(steady(10_000))));
    await clock.advance(1000);
    expect(sim.device.recorder.current.vib).toBeGreaterThan(0);
    let stateAtFrame = "";
    sim.device.use({
      name: "state when ESTOP arrives",
      inbound: (line, next) => {
        if (line.startsWith("ESTOP")) stateAtFrame = `${sim.device.core.state.state} ${sim.device.core.state.reason}`;
        next(line);
      },
    });
    await clock.runUntil(controller.emergencyStop());
    expect(stateAtFrame).toBe("IDLE ESTOP");
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    await clock.runUntil(controller.close());
    expect(inbound.some((l) => l.line.includes(STOP_BYTE_CHAR))).toBe(false);
  });

  it("an emergency stop on a 1.0 device: no stop byte (it would spoil the frame), the ESTOP frame stops it", async () => {
    const { clock, sim, controller, inbound } = rig("1.0");
    const info = await clock.runUntil(controller.connect());
    expect(info).toMatchObject({ firmware: "1.0.0", stopByte: false, gain: false });
    await clock.runUntil(controller.play(sessionOf(steady(10_000))));
    await clock.advance(1000);
    let stateAtFrame = "";
    sim.device.use({
      name: "state when ESTOP arrives",
      inbound: (line, next) => {
        if (line.startsWith("ESTOP")) stateAtFrame = sim.device.core.state.state;
        next(line);
      },
    });
    await clock.runUntil(controller.emergencyStop());
    expect(stateAtFrame).toBe("PLAYING");
    expect(sim.device.core.state).toMatchObject({ state: "IDLE", reason: "ESTOP" });
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    expect(inbound.some((l) => l.line.includes(STOP_BYTE_CHAR) || l.line.startsWith("GAIN"))).toBe(false);
    await clock.runUntil(controller.close());
  });

  it("a mute device's motors stop the moment the controller declares the link lost, not by its watchdog", async () => {
    const { clock, sim, controller } = rig("1.1", { controller: { reconnectWindowMs: 3000 } });
    await clock.runUntil(controller.connect());
    await clock.runUntil(controller.play(sessionOf(steady(30_000))));
    await clock.advance(1000);
    let lostAt = Number.NaN;
    controller.on("connection", (status) => {
      if (status === "reconnecting" && Number.isNaN(lostAt)) lostAt = clock.now();
    });
    const errors: unknown[] = [];
    controller.on("error", (error) => errors.push(error));
    sim.device.use(goSilent()); // it still hears everything, and says nothing
    const mutedAt = clock.now();
    await clock.advance(2000);
    const zeroAt = (sim.device.recorder.lastChange?.tMs ?? 0) + sim.device.core.originMs;
    expect(sim.device.recorder.current).toEqual({ vib: 0, rot: 0 });
    // Two heartbeat timeouts (1000 ms, then the next PING's) and the stop: before any reconnect attempt.
    expect(zeroAt - mutedAt).toBeLessThanOrEqual(1500);
    expect(zeroAt).toBeLessThanOrEqual(lostAt);
    // The host's stop, not the watchdog (which the heartbeat kept fed).
    expect(sim.device.core.state.reason).toBe("ESTOP");
    const end = await clock.runUntil(controller.waitForEnd());
    expect(end.reason).toBe("DISCONNECT");
    await clock.runUntil(controller.close());
  });

  it("live intensity: GAIN before START, then setIntensity changes the applied level within 10 ms, along the slew limit", async () => {
    const { clock, sim, controller, inbound } = rig("1.1");
    await clock.runUntil(controller.connect());
    const session = routine(true, 60);
    expect(session.intensityIn).toBe("gain");
    const acknowledged: number[] = [];
    controller.on("intensity", (percent) => acknowledged.push(percent));
    await clock.runUntil(controller.play({ ...session, chunks: [steady(20_000)], durationMs: 20_000 }));
    const gainLine = inbound.findIndex((l) => l.line.startsWith("GAIN "));
    const startLine = inbound.findIndex((l) => l.line.startsWith("START "));
    expect(gainLine).toBeGreaterThanOrEqual(0);
    expect(inbound[gainLine]?.line).toMatch(/^GAIN \d+ 600 600\*/);
    expect(gainLine).toBeLessThan(startLine);
    await clock.advance(2000);
    expect(sim.device.recorder.current).toEqual({ vib: 480, rot: 360 });
    const calledAt = clock.now();
    await clock.runUntil(controller.setIntensity(30));
    expect(sim.device.core.state.gain).toEqual({ vib: 300, rot: 300 });
    expect(acknowledged).toEqual([60, 30]);
    await clock.advance(1000);
    const origin = sim.device.core.originMs;
    const after = sim.device.recorder.changes.filter((c) => c.tMs + origin > calledAt);
    expect((after[0]?.tMs ?? Number.POSITIVE_INFINITY) + origin - calledAt).toBeLessThanOrEqual(10);
    expect(sim.device.recorder.current).toEqual({ vib: 240, rot: 180 });
    // The ramp from 480 down to 240 follows the slew limit (full scale in 400 ms): never a jump.
    let previous = { tMs: calledAt - origin, vib: 480 };
    for (const change of after) {
      expect(previous.vib - change.vib).toBeLessThanOrEqual(Math.ceil(((change.tMs - previous.tMs) * 1000) / 400));
      previous = change;
    }
    const downMs = (after.find((c) => c.vib === 240)?.tMs ?? 0) + origin - calledAt;
    expect(downMs).toBeGreaterThanOrEqual(95); // 240 levels at 2.5 per ms
    expect(downMs).toBeLessThanOrEqual(110);
    await clock.runUntil(controller.close());
  });

  it("live intensity while paused and while streaming; the gain applies on the device", async () => {
    const paused = rig("1.1");
    await paused.clock.runUntil(paused.controller.connect());
    const live = { ...routine(true, 80), chunks: [steady(20_000)], durationMs: 20_000 };
    await paused.clock.runUntil(paused.controller.play(live));
    await paused.clock.advance(1000);
    await paused.clock.runUntil(paused.controller.pause());
    await paused.clock.runUntil(paused.controller.setIntensity(50));
    await paused.clock.runUntil(paused.controller.resume());
    await paused.clock.advance(1000);
    expect(paused.sim.device.recorder.current).toEqual({ vib: 400, rot: 300 });
    await paused.clock.runUntil(paused.controller.close());

    const streaming = rig("1.1", { capabilities: { caps: ALL_CAPABILITIES & ~Capability.Program } });
    await streaming.clock.runUntil(streaming.controller.connect());
    await streaming.clock.runUntil(streaming.controller.play(live));
    await streaming.clock.advance(1000);
    expect(streaming.sim.device.core.state.state).toBe("STREAMING");
    expect(streaming.sim.device.recorder.current).toEqual({ vib: 640, rot: 480 });
    await streaming.clock.runUntil(streaming.controller.setIntensity(25));
    await streaming.clock.advance(1000);
    expect(streaming.sim.device.core.state.setpoint).toEqual({ vib: 800, rot: 600 }); // SET carries the full level
    expect(streaming.sim.device.recorder.current).toEqual({ vib: 200, rot: 150 });
    await streaming.clock.runUntil(streaming.controller.close());
  });

  it("a 1.1 host with a 1.0 device: the intensity is applied in the levels, the device plays what a 1.1 device plays, setIntensity says why not", async () => {
    const traces: number[][] = [];
    for (const protocol of ["1.0", "1.1"] as const) {
      const { clock, sim, controller, inbound } = rig(protocol);
      await clock.runUntil(controller.connect());
      await clock.runUntil(controller.play(routine(true, 60)));
      if (protocol === "1.0") {
        const refused = await clock.runUntil(controller.setIntensity(20)).catch((error: unknown) => error);
        expect(isMassagerError(refused, ErrorCode.NoLiveIntensity)).toBe(true);
        expect((refused as Error).message).toMatch(/firmware 1\.0\.0 has no live intensity \(GAIN\)/);
        expect((refused as Error).message).not.toContain("\n");
        expect(inbound.some((l) => l.line.startsWith("GAIN"))).toBe(false);
      }
      const end = await clock.runUntil(controller.waitForEnd());
      expect(end).toEqual({ completed: true, reason: "DONE" });
      const start = sim.device.core.state.sessionStartMs - sim.device.core.originMs;
      const levels: number[] = [];
      for (let t = 0; t <= 60_000; t += 5) {
        const at = sim.device.recorder.levelsAt(start + t);
        levels.push(at.vib, at.rot);
      }
      traces.push(levels);
      await clock.runUntil(controller.close());
    }
    // The host scales keyframes, the device scales the interpolated level: equal to a rounding step.
    const [old = [], now = []] = traces;
    expect(old.length).toBe(now.length);
    expect(Math.max(...old.map((v, i) => Math.abs(v - (now[i] ?? 0))))).toBeLessThanOrEqual(2);
    expect(Math.max(...old)).toBeGreaterThan(100);
  });

  it("a 1.0 host with a 1.1 device: the frames a 1.0 host sends play exactly as on a 1.0 device", async () => {
    const traces: string[] = [];
    const program = steady(3000, 700, -500);
    for (const protocol of ["1.0", "1.1"] as const) {
      const clock = new VirtualClock();
      const sim = createInProcessSimulator({ clock, protocol });
      const transport = sim.connect();
      await transport.open();
      const link = new FrameLink(transport, clock, 1000);
      const replies: string[] = [];
      const request = async (message: Parameters<FrameLink["request"]>[0]) => {
        const reply = await clock.runUntil(link.request(message));
        replies.push(reply.type);
        return reply;
      };
      const id = await request({ type: "HELLO", proto: 1 });
      // A 1.0 host reads the caps it knows and ignores the rest.
      const v10 = Capability.Vibration | Capability.Rotation | Capability.Program | Capability.Stream;
      expect(id.type === "ID" && id.caps & v10).toBe(v10);
      await request({ type: "ESTOP" });
      await request({ type: "TELEM", periodMs: 50 });
      for (const frame of uploadFrames(program)) await request(frame);
      await request({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 10 });
      const start = sim.device.core.state.sessionStartMs;
      for (let t = 0; t < 4000; t += 250) {
        await clock.advance(250);
        await request({ type: "PING" }); // the 1.0 heartbeat
      }
      expect(sim.device.core.state).toMatchObject({ state: "IDLE", reason: "DONE" });
      expect(replies.every((r) => r === "OK" || r === "ID")).toBe(true);
      expect(sim.device.recorder.changes.some((c) => c.vib === 700 && c.rot === -500)).toBe(true);
      traces.push(JSON.stringify(sim.device.recorder.changes.map((c) => [c.tMs - start, c.vib, c.rot])));
      link.detach(new MassagerError(ErrorCode.Disconnected, "test over"));
    }
    expect(traces[0]).toBe(traces[1]);
  });

  it("a baked-in session on a 1.1 device resets the device's gain to 100 % and refuses live changes", async () => {
    const { clock, sim, controller, inbound } = rig("1.1");
    await clock.runUntil(controller.connect());
    const baked = routine(false, 60);
    expect(baked.intensityIn).toBe("levels");
    await clock.runUntil(controller.play(baked));
    expect(inbound.find((l) => l.line.startsWith("GAIN "))?.line).toMatch(/^GAIN \d+ 1000 1000\*/);
    expect(sim.device.core.state.gain).toEqual({ vib: 1000, rot: 1000 });
    const refused = await clock.runUntil(controller.setIntensity(20)).catch((error: unknown) => error);
    expect(isMassagerError(refused, ErrorCode.NoLiveIntensity)).toBe(true);
    await clock.runUntil(controller.close());
  });
});
