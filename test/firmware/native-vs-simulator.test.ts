/**
 * The firmware and the simulated massager, held to each other: the same host frames at the same
 * virtual times go to the firmware's portable core (native build, ticking every millisecond like
 * its loop) and to the TypeScript simulator's DeviceCore (on a virtual clock ticking every
 * millisecond). Both follow PROTOCOL.md, so every frame they write (replies, ST, TM, with its
 * time) and every change of the outputs must be identical. Each scenario also asserts the
 * protocol's own rule on the firmware's run, so two equal mistakes would not pass.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileSession, getRoutine } from "../../patterns/index.ts";
import { checksumHex, encode, type HostMessage, type WireProgram } from "../../protocol/index.ts";
import { playedProgram } from "../../protocol/session.ts";
import { uploadFrames, withSeq } from "../../protocol/upload.ts";
import { type DeviceRun, DeviceScript, nativeDriver, runNative } from "./support/native-driver.ts";
import { runSimulator } from "./support/simulator-twin.ts";

/** A script with a running sequence number. */
class Host {
  readonly script = new DeviceScript();
  private seq = 1;

  send(message: DistributiveOmit<HostMessage, "seq">): this {
    this.script.send(encode({ ...message, seq: this.seq++ } as HostMessage));
    return this;
  }

  raw(text: string): this {
    this.script.bytes(text);
    return this;
  }

  wait(ms: number): this {
    this.script.advance(ms);
    return this;
  }

  /** Waits `ms`, sending PING every `everyMs` (as a host playing a program does: watchdogMs / 4). */
  heartbeat(ms: number, everyMs = 250): this {
    for (let left = ms; left > 0; left -= everyMs) {
      this.wait(Math.min(everyMs, left));
      if (left > everyMs) this.send({ type: "PING" });
    }
    return this;
  }

  upload(program: WireProgram): this {
    for (const frame of uploadFrames(program)) this.script.send(encode(withSeq(frame, this.seq++)));
    return this;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const key = (dtMs: number, value: number, ease: "step" | "linear" | "easeIn" | "easeOut" | "easeInOut" | "sine") => ({
  dtMs,
  value,
  ease,
});

/** Two blocks using every easing, a reversal and a cut cycle: 3.5 s. */
const PROGRAM: WireProgram = {
  blocks: [
    {
      durationMs: 1500,
      step: 0,
      vib: [key(600, 700, "easeIn"), key(400, 300, "sine")],
      rot: [key(1500, 600, "linear")],
    },
    {
      durationMs: 2000,
      step: 1,
      vib: [key(300, 900, "step"), key(700, 200, "easeOut")],
      rot: [key(500, -800, "easeInOut"), key(400, 500, "sine")],
    },
  ],
};

async function both(host: Host): Promise<DeviceRun> {
  const [native, simulated] = await Promise.all([runNative(host.script), runSimulator(host.script)]);
  expect(native.frames).toEqual(simulated.frames);
  expect(native.outputs).toEqual(simulated.outputs);
  return native;
}

const lines = (run: DeviceRun, prefix: string) => run.frames.filter((frame) => frame.line.startsWith(prefix));
const stateLine = (run: DeviceRun, text: string) => run.frames.find((frame) => frame.line.startsWith(`ST ${text}`));
const outputAt = (run: DeviceRun, tMs: number) => [...run.outputs].reverse().find((change) => change.tMs <= tMs);

describe("the firmware and the simulator, frame for frame", () => {
  // The native build (g++, cached by source hash) under the hook's timeout, not the first test's:
  // on a loaded machine a fresh build alone can take longer than a test may.
  beforeAll(() => nativeDriver(), 120_000);

  it("play a program with every easing to its end, then ramp down (DONE)", async () => {
    const host = new Host()
      .send({ type: "HELLO", proto: 1 })
      .upload(PROGRAM)
      .send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 60 });
    const run = await both(host.heartbeat(4500));
    expect(stateLine(run, "STOPPING DONE 1 3500")).toBeDefined();
    const idle = stateLine(run, "IDLE DONE 1 3500");
    expect(idle).toBeDefined();
    expect(outputAt(run, idle?.tMs ?? 0)).toMatchObject({ vib: 0, rot: 0 });
    expect(lines(run, "TM").length).toBeGreaterThan(60);
  });

  it("cap every level at the caps START gave", async () => {
    const host = new Host().upload(PROGRAM).send({ type: "START", vibCap: 300, rotCap: 200, limitS: 60 });
    const run = await both(host.heartbeat(3000));
    expect(Math.max(...run.outputs.map((change) => change.vib))).toBe(300);
    expect(Math.max(...run.outputs.map((change) => Math.abs(change.rot)))).toBe(200);
  });

  it("cut the outputs when the host falls silent (watchdog), within the tick it expires", async () => {
    const host = new Host()
      .send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .send({ type: "SET", vib: 800, rot: -600 })
      .wait(500)
      .send({ type: "PING" })
      .wait(1500);
    const run = await both(host);
    const lastFrameMs = 500;
    const trip = stateLine(run, "IDLE WDOG");
    expect(trip?.tMs).toBe(lastFrameMs + 1000);
    expect(outputAt(run, lastFrameMs + 999)).toMatchObject({ vib: 800, rot: -600 });
    expect(outputAt(run, lastFrameMs + 1000)).toMatchObject({ tMs: lastFrameMs + 1000, vib: 0, rot: 0 });
  });

  it("end a session at its limit with a ramp (LIMIT)", async () => {
    const host = new Host()
      .upload({ blocks: [{ durationMs: 60_000, step: 2, vib: [key(1000, 500, "linear")], rot: [] }] })
      .send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 1 });
    const run = await both(host.heartbeat(1600));
    expect(stateLine(run, "STOPPING LIMIT 2 1000")?.tMs).toBe(1000);
    // 500 permille at full scale per 400 ms: 200 ticks of ramp, the first in the tick that ends the session.
    expect(stateLine(run, "IDLE LIMIT")?.tMs).toBe(1199);
  });

  it("ramp down on STOP and cut at once on ESTOP", async () => {
    const host = new Host()
      .send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .send({ type: "SET", vib: 1000, rot: 1000 })
      .wait(600)
      .send({ type: "STOP" })
      .wait(100)
      .send({ type: "ESTOP" })
      .wait(50)
      .send({ type: "ESTOP" })
      .send({ type: "STOP" })
      .wait(10);
    const run = await both(host);
    expect(outputAt(run, 600)).toMatchObject({ vib: 1000, rot: 1000 });
    // STOP: a ramp at 2.5 permille per ms from 601 on; ESTOP: zero in the very millisecond it arrives.
    expect(outputAt(run, 699)?.vib).toBe(1000 - Math.floor((99 * 1000) / 400));
    expect(outputAt(run, 700)).toMatchObject({ tMs: 700, vib: 0, rot: 0 });
    expect(stateLine(run, "IDLE ESTOP")?.tMs).toBe(700);
    // ESTOP and STOP in IDLE: only their OK.
    expect(lines(run, "ST").length).toBe(4);
  });

  it("pause (ramp to zero, clock stopped) and resume where the program was", async () => {
    const host = new Host()
      .upload(PROGRAM)
      .send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .heartbeat(1000)
      .send({ type: "PAUSE" })
      .heartbeat(800)
      .send({ type: "RESUME" })
      .heartbeat(3500);
    const run = await both(host);
    expect(stateLine(run, "PAUSED HOST 0 1000")?.tMs).toBe(1000);
    expect(outputAt(run, 1799)).toMatchObject({ vib: 0, rot: 0 });
    expect(stateLine(run, "PLAYING HOST 0 1000")?.tMs).toBe(1800);
    expect(stateLine(run, "STOPPING DONE 1 3500")?.tMs).toBe(1800 + 2500);
  });

  it("refuse every upload out of order, too large or incomplete, and playing without a program", async () => {
    const blk = { type: "BLK", durationMs: 1000, step: 0 } as const;
    const host = new Host()
      .send({ type: "KEY", track: "V", keys: [key(100, 10, "linear")] })
      .send({ type: "COMMIT" })
      .send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .send({ type: "LOAD", blocks: 17, totalMs: 17_000 })
      .send({ type: "LOAD", blocks: 2, totalMs: 2500 })
      .send({ type: "KEY", track: "V", keys: [key(100, 10, "linear")] })
      .send(blk)
      .send({ type: "KEY", track: "R", keys: [key(100, 10, "linear")] })
      .send({ type: "KEY", track: "V", keys: [key(100, 10, "linear")] })
      .send({ type: "COMMIT" })
      .send(blk)
      .send(blk)
      .send({ type: "COMMIT" })
      .send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .raw(
        `${encode({ type: "KEY", seq: 99, track: "R", keys: [key(100, 10, "linear")] }).replace("R 100,10,1", "V 100,-10,1")}\n`,
      )
      .send({ type: "LOAD", blocks: 1, totalMs: 1000 })
      .send(blk);
    for (let i = 0; i < 24; i++)
      host.send({ type: "KEY", track: "V", keys: [1, 2, 3, 4].map((n) => key(n, n, "step")) });
    host.send({ type: "KEY", track: "R", keys: [key(1, 1, "step")] }).send({ type: "COMMIT" });
    host.send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 }).send({ type: "LOAD", blocks: 1, totalMs: 1 });
    const run = await both(host.wait(5));
    const replies = run.frames
      .map((frame) => frame.line.slice(0, frame.line.indexOf("*")))
      .filter((line) => /^(OK|ER)/.test(line));
    expect(replies.slice(0, 17)).toEqual([
      "ER 1 200", // KEY before LOAD
      "ER 2 200", // COMMIT before LOAD
      "ER 3 202", // START without a program
      "ER 4 201", // more blocks than the device stores
      "OK 5",
      "ER 6 200", // KEY before its BLK
      "OK 7",
      "OK 8",
      "ER 9 200", // V after R in one block
      "ER 10 202", // COMMIT with a block missing
      "OK 11",
      "ER 12 201", // more blocks than LOAD announced
      "ER 13 202", // durations that do not add up
      "ER 14 202", // START still without a program
      "ER 0 100", // (a frame whose checksum no longer matches)
      "OK 15",
      "OK 16",
    ]);
    expect(replies.slice(17, 41).every((line) => line.startsWith("OK"))).toBe(true);
    // 96 keyframes fit, the 97th does not; the block count and total still add up; LOAD is refused while streaming.
    expect(replies.slice(41)).toEqual(["ER 41 201", "OK 42", "OK 43", "ER 44 200"]);
    expect(run.outputs.every((change) => change.vib === 0 && change.rot === 0)).toBe(true);
  });

  it("refuse a negative vibration keyframe as out of range", async () => {
    const run = await both(
      new Host()
        .send({ type: "LOAD", blocks: 1, totalMs: 1000 })
        .send({ type: "BLK", durationMs: 1000, step: 0 })
        .raw(`KEY 3 V 100,-5,1*${checksumHex("KEY 3 V 100,-5,1")}\n`),
    );
    expect(run.frames.at(-1)?.line.startsWith("ER 3 104")).toBe(true);
  });

  it("fault on a corrupted frame while streaming, but only refuse one while playing", async () => {
    const host = new Host()
      .upload(PROGRAM)
      .send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .wait(400)
      .raw("SET 9 1000 1000*00\n")
      .raw("#comment\n\n   \r\n")
      .raw(`${"x".repeat(300)}\n`)
      .wait(100)
      .send({ type: "STOP" })
      .wait(600)
      .send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .send({ type: "SET", vib: 600, rot: 600 })
      .wait(300)
      .raw("SET 20 1000 1000*00\n")
      .wait(20);
    const run = await both(host);
    const errors = lines(run, "ER").map((frame) => frame.line.slice(0, frame.line.indexOf("*")));
    expect(errors).toEqual(["ER 0 100", "ER 0 101", "ER 0 100"]);
    expect(stateLine(run, "STOPPING HOST")?.tMs).toBe(500);
    const fault = stateLine(run, "IDLE FAULT");
    expect(fault).toBeDefined();
    expect(outputAt(run, fault?.tMs ?? 0)).toMatchObject({ tMs: fault?.tMs, vib: 0, rot: 0 });
  });

  it("pass a rotation reversal through zero, at the slew rate", async () => {
    const host = new Host()
      .send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .send({ type: "SET", vib: 0, rot: 500 })
      .wait(400)
      .send({ type: "SET", vib: 0, rot: -500 })
      .wait(500)
      .send({ type: "STOP" })
      .wait(300);
    const run = await both(host);
    const reversal = run.outputs.filter((change) => change.tMs > 400 && change.tMs <= 900);
    expect(reversal.some((change) => change.rot === 0)).toBe(true);
    for (let i = 1; i < reversal.length; i++) {
      const step = Math.abs((reversal[i]?.rot ?? 0) - (reversal[i - 1]?.rot ?? 0));
      expect(step).toBeLessThanOrEqual(3); // 1000 per 400 ms: 2.5 per ms
    }
    expect(outputAt(run, 800)).toMatchObject({ rot: -500 });
  });

  it("follow TELEM and STATUS, and answer HELLO in every state", async () => {
    const host = new Host()
      .send({ type: "STATUS" })
      .send({ type: "TELEM", periodMs: 5 })
      .send({ type: "STREAM", vibCap: 1000, rotCap: 1000, limitS: 60 })
      .send({ type: "SET", vib: 100, rot: 0 })
      .wait(100)
      .send({ type: "TELEM", periodMs: 0 })
      .send({ type: "HELLO", proto: 1 })
      .send({ type: "STATUS" })
      .wait(100)
      .send({ type: "TELEM", periodMs: 30 })
      .wait(100)
      .send({ type: "ESTOP" });
    const run = await both(host);
    const telemetry = lines(run, "TM").map((frame) => frame.tMs);
    expect(telemetry.filter((t) => t <= 100)).toHaveLength(10);
    expect(telemetry.filter((t) => t > 100 && t <= 200)).toHaveLength(0);
    // At once (30 ms have passed since the last TM), then every 30 ms, then one on entering IDLE.
    expect(telemetry.filter((t) => t > 200 && t <= 300)).toEqual([201, 231, 261, 291, 300]);
    expect(lines(run, "ID 6 1 1.1.0 ")).toHaveLength(1);
  });

  it("play a compiled built-in routine from start to finish", async () => {
    const routine = getRoutine("quick-tension-relief");
    if (routine === undefined) throw new Error("the built-in routine quick-tension-relief is missing");
    const session = compileSession(routine, { minutes: 0.2, intensity: 70 });
    expect(session.chunks).toHaveLength(1);
    const host = new Host().send({ type: "HELLO", proto: 1 }).upload(playedProgram(session));
    host.send({ type: "START", vibCap: 1000, rotCap: 1000, limitS: 3600 }).heartbeat(session.durationMs + 1000);
    const run = await both(host);
    expect(lines(run, "ER")).toEqual([]);
    expect(stateLine(run, `IDLE DONE`)).toBeDefined();
  });
});
