import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { ALL_CAPABILITIES } from "../../device/reference-device/capabilities.ts";
import { DeviceCore } from "../../device/reference-device/device-core.ts";
import { OutputRecorder } from "../../device/simulator/recorder.ts";
import { checksumHex } from "../../protocol/checksum.ts";
import { decode, encode } from "../../protocol/codec.ts";
import { Capability, type HostMessage } from "../../protocol/commands.ts";
import { STOP_BYTE_CHAR } from "../../protocol/limits.ts";
import { invalidVectors } from "../support/vectors.ts";

/** A device core wired to arrays: what it said, what it applied. */
function rig(capabilities = {}, protocol: "1.0" | "1.1" = "1.1") {
  const clock = new VirtualClock();
  const said: string[] = [];
  const recorder = new OutputRecorder();
  const core = new DeviceCore({ clock, send: (line) => said.push(line), sink: recorder, capabilities, protocol });
  core.boot();
  const send = (message: HostMessage) => {
    said.length = 0;
    core.receive(encode(message));
    return said.map((line) => line.replace(/\*[0-9A-F]{2}$/, ""));
  };
  return { clock, core, said, recorder, send };
}

const upload: HostMessage[] = [
  { type: "LOAD", seq: 1, blocks: 1, totalMs: 1000 },
  { type: "BLK", seq: 2, durationMs: 1000, step: 3 },
  { type: "KEY", seq: 3, track: "V", keys: [{ dtMs: 500, value: 800, ease: "linear" }] },
  { type: "KEY", seq: 4, track: "R", keys: [{ dtMs: 1000, value: -600, ease: "linear" }] },
  { type: "COMMIT", seq: 5 },
];

describe("the simulated device's protocol core", () => {
  it("says ST IDLE BOOT 0 0 on boot and answers HELLO with its default capabilities", () => {
    const clock = new VirtualClock();
    const said: string[] = [];
    new DeviceCore({ clock, send: (l) => said.push(l), sink: new OutputRecorder() }).boot();
    expect(said).toEqual([encode({ type: "ST", state: "IDLE", reason: "BOOT", step: 0, posMs: 0 })]);
    const { send } = rig();
    expect(send({ type: "HELLO", seq: 9, proto: 1 })).toEqual([
      `ID 9 1 1.1.0 ${ALL_CAPABILITIES} 8 16 96 1000 3600 400 1000 1000`,
    ]);
  });

  it("answers every malformed host line of the shared vectors as they say", () => {
    const { core, said } = rig();
    for (const c of invalidVectors.filter((v) => v.from === "host")) {
      said.length = 0;
      core.receive(c.line);
      if (c.code === null) expect(said, c.line).toEqual([]);
      else
        expect(
          said.map((l) => decode(l)),
          c.line,
        ).toEqual([{ kind: "message", message: { type: "ER", seq: c.seq, code: c.code } }]);
    }
  });

  it("refuses uploads out of order, too large, or incomplete", () => {
    const { send } = rig({ maxBlocks: 2, maxKeys: 3 });
    expect(send({ type: "BLK", seq: 1, durationMs: 10, step: 0 })).toEqual(["ER 1 200"]);
    expect(send({ type: "LOAD", seq: 2, blocks: 3, totalMs: 30 })).toEqual(["ER 2 201"]);
    expect(send({ type: "LOAD", seq: 3, blocks: 1, totalMs: 30 })).toEqual(["OK 3"]);
    expect(send({ type: "KEY", seq: 4, track: "V", keys: [{ dtMs: 5, value: 1, ease: "step" }] })).toEqual([
      "ER 4 200",
    ]);
    expect(send({ type: "BLK", seq: 5, durationMs: 10, step: 0 })).toEqual(["OK 5"]);
    expect(send({ type: "KEY", seq: 6, track: "R", keys: [{ dtMs: 5, value: 1, ease: "step" }] })).toEqual(["OK 6"]);
    expect(send({ type: "KEY", seq: 7, track: "V", keys: [{ dtMs: 5, value: 1, ease: "step" }] })).toEqual([
      "ER 7 200",
    ]);
    expect(
      send({
        type: "KEY",
        seq: 8,
        track: "R",
        keys: [1, 2, 3].map((value) => ({ dtMs: 5, value, ease: "step" as const })),
      }),
    ).toEqual(["ER 8 201"]);
    expect(send({ type: "BLK", seq: 9, durationMs: 10, step: 0 })).toEqual(["ER 9 201"]);
    expect(send({ type: "COMMIT", seq: 10 })).toEqual(["ER 10 202"]);
    expect(send({ type: "START", seq: 11, vibCap: 1000, rotCap: 1000, limitS: 60 })).toEqual(["ER 11 202"]);
  });

  it("refuses a negative vibration keyframe and requests in the wrong state", () => {
    const { send, core, said } = rig();
    send({ type: "LOAD", seq: 1, blocks: 1, totalMs: 10 });
    send({ type: "BLK", seq: 2, durationMs: 10, step: 0 });
    said.length = 0;
    core.receive(`KEY 3 V 5,-1,0*${checksumHex("KEY 3 V 5,-1,0")}`);
    expect(said.map((l) => l.replace(/\*..$/, ""))).toEqual(["ER 3 104"]);
    expect(send({ type: "SET", seq: 4, vib: 1, rot: 1 })).toEqual(["ER 4 200"]);
    expect(send({ type: "PAUSE", seq: 5 })).toEqual(["ER 5 200"]);
    expect(send({ type: "RESUME", seq: 6 })).toEqual(["ER 6 200"]);
    expect(send({ type: "STOP", seq: 7 })).toEqual(["OK 7"]);
    expect(send({ type: "ESTOP", seq: 8 })).toEqual(["OK 8"]);
    expect(send({ type: "TELEM", seq: 9, periodMs: 5 })).toEqual(["OK 9"]);
  });

  it("replies before the ST a request causes, then plays, pauses, resumes and ramps down", async () => {
    const { clock, core, send, recorder } = rig();
    for (const frame of upload) expect(send(frame)).toEqual([`OK ${frame.seq}`]);
    expect(send({ type: "START", seq: 6, vibCap: 1000, rotCap: 1000, limitS: 60 })).toEqual([
      "OK 6",
      "ST PLAYING HOST 3 0",
    ]);
    await clock.advance(500);
    expect(recorder.current.vib).toBeGreaterThan(700);
    expect(send({ type: "PAUSE", seq: 7 })[0]).toBe("OK 7");
    await clock.advance(450);
    send({ type: "PING", seq: 8 });
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
    expect(core.state.posMs).toBe(500);
    expect(send({ type: "RESUME", seq: 9 })).toEqual(["OK 9", "ST PLAYING HOST 3 500"]);
    await clock.advance(100);
    expect(core.state.posMs).toBe(600);
    expect(send({ type: "STOP", seq: 10 })).toEqual(["OK 10", "ST STOPPING HOST 3 600"]);
    await clock.advance(450);
    expect(core.state.state).toBe("IDLE");
    expect(core.state.reason).toBe("HOST");
    expect(recorder.current).toEqual({ vib: 0, rot: 0 });
  });

  it("never changes an output by more than full scale per slewMs, and reverses rotation through zero", async () => {
    const { clock, send, recorder } = rig({ caps: 15 });
    send({ type: "STREAM", seq: 1, vibCap: 1000, rotCap: 1000, limitS: 60 });
    send({ type: "SET", seq: 2, vib: 1000, rot: 1000 });
    for (let i = 0; i < 10; i++) {
      await clock.advance(100);
      send({ type: "PING", seq: 3 + i });
    }
    send({ type: "SET", seq: 20, vib: 0, rot: -1000 });
    for (let i = 0; i < 10; i++) {
      await clock.advance(100);
      send({ type: "PING", seq: 21 + i });
    }
    const changes = recorder.changes;
    for (let i = 1; i < changes.length; i++) {
      const a = changes[i - 1];
      const b = changes[i];
      if (!a || !b) continue;
      const dt = Math.max(5, b.tMs - a.tMs);
      expect(Math.abs(b.vib - a.vib)).toBeLessThanOrEqual(Math.ceil((1000 * dt) / 400));
      expect(Math.abs(b.rot - a.rot)).toBeLessThanOrEqual(Math.ceil((1000 * dt) / 400));
    }
    expect(changes.some((c) => c.rot === 0 && c.tMs > 1000)).toBe(true);
    expect(recorder.current).toEqual({ vib: 0, rot: -1000 });
  });
});

describe("protocol 1.1 and 1.0 side by side (PROTOCOL.md, Handshake and versions)", () => {
  it("a 1.1 device advertises the stop byte and GAIN, and applies GAIN before the caps, ramped", async () => {
    const { clock, core, send } = rig();
    expect(core.capabilities.caps & Capability.StopByte).toBe(Capability.StopByte);
    expect(core.capabilities.caps & Capability.Gain).toBe(Capability.Gain);
    expect(send({ type: "GAIN", seq: 2, vib: 500, rot: 250 })).toEqual(["OK 2"]);
    send({ type: "STREAM", seq: 3, vibCap: 400, rotCap: 1000, limitS: 60 });
    send({ type: "SET", seq: 4, vib: 1000, rot: -1000 });
    await clock.advance(300);
    // vib: 1000 × 50 % = 500, then the cap of 400; rot: −1000 × 25 % = −250.
    expect(core.state.applied).toEqual({ vib: 400, rot: -250 });
    expect(send({ type: "GAIN", seq: 5, vib: 200, rot: 1000 })).toEqual(["OK 5"]);
    await clock.advance(20); // 400 ms per full scale: 50 permille in 20 ms, not the whole change at once
    expect(core.state.applied.vib).toBe(350);
    await clock.advance(300);
    expect(core.state.applied).toEqual({ vib: 200, rot: -1000 });
  });

  it("a 1.1 device acts on the stop byte at once, even inside a line, and answers nothing to it", () => {
    const { core, said, send } = rig();
    send({ type: "STREAM", seq: 1, vibCap: 1000, rotCap: 1000, limitS: 60 });
    said.length = 0;
    core.stopByte();
    expect(said.map((line) => line.slice(0, line.indexOf("*")))).toEqual(["ST IDLE ESTOP 0 0", "TM 0 0 0 0 0"]);
    said.length = 0;
    core.stopByte(); // in IDLE: nothing at all
    core.receive(`SET 2 5${STOP_BYTE_CHAR}${encode({ type: "PING", seq: 3 })}`);
    expect(said).toEqual([encode({ type: "OK", seq: 3 })]);
  });

  it("a 1.0 device (protocol: '1.0') says 1.0.0 without the new bits, refuses GAIN as unknown, and ignores the stop byte", async () => {
    const { clock, core, said, send } = rig({}, "1.0");
    expect(send({ type: "HELLO", seq: 1, proto: 1 })).toEqual(["ID 1 1 1.0.0 15 8 16 96 1000 3600 400 1000 1000"]);
    expect(send({ type: "GAIN", seq: 2, vib: 500, rot: 500 })).toEqual(["ER 2 102"]);
    send({ type: "STREAM", seq: 3, vibCap: 1000, rotCap: 1000, limitS: 60 });
    send({ type: "SET", seq: 4, vib: 600, rot: 0 });
    await clock.advance(500);
    said.length = 0;
    core.stopByte();
    expect(said).toEqual([]);
    expect(core.state.state).toBe("STREAMING");
    // The byte stays in the line it landed in, as 1.0 firmware keeps it: that frame fails to decode,
    // which while streaming is a fault (safety rule 5) — still a stop, the slow way.
    core.receive(encode({ type: "ESTOP", seq: 5 }));
    expect(said.map((line) => line.slice(0, line.indexOf("*")))).toEqual([
      "ER 0 100",
      "ST IDLE FAULT 0 500",
      "TM 500 0 0 0 500",
    ]);
  });
});

describe("exact times under a late, irregular timer (PROTOCOL.md, Playback and Telemetry)", () => {
  it("ends a 5200 ms program at 5200, cuts at the limit exactly, and sends TM every 50 ms without drift", async () => {
    for (const seed of [1, 2, 3]) {
      const clock = new VirtualClock();
      const said: string[] = [];
      // The control loop's own timer never fires: the test calls tick() late and irregularly, 1..13 ms apart.
      const core = new DeviceCore({
        clock,
        send: (line) => said.push(line),
        sink: new OutputRecorder(),
        tickMs: 60_000,
      });
      core.boot();
      let state = seed;
      const nextGap = () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return 1 + (state % 13);
      };
      const run = async (ms: number) => {
        const end = clock.now() + ms;
        while (clock.now() < end) {
          await clock.advance(Math.min(nextGap(), end - clock.now()));
          core.tick();
        }
      };
      const send = (message: HostMessage) => core.receive(encode(message));
      send({ type: "LOAD", seq: 1, blocks: 1, totalMs: 5200 });
      send({ type: "BLK", seq: 2, durationMs: 5200, step: 33 });
      send({ type: "KEY", seq: 3, track: "V", keys: [{ dtMs: 100, value: 800, ease: "step" }] });
      send({ type: "COMMIT", seq: 4 });
      send({ type: "START", seq: 5, vibCap: 1000, rotCap: 1000, limitS: 60 });
      for (let i = 0; i < 24; i++) {
        await run(250);
        send({ type: "PING", seq: 6 });
      }
      const frames = said.map((line) => line.slice(0, line.indexOf("*")));
      expect(frames).toContain("ST STOPPING DONE 33 5200");
      const times = frames.filter((f) => f.startsWith("TM ")).map((f) => Number(f.split(" ")[1]));
      const playing = times.filter((t) => t <= 5200);
      expect(playing.length).toBeGreaterThan(90);
      expect(new Set(playing.slice(1).map((t, i) => t - (playing[i] ?? 0)))).toEqual(new Set([50]));

      said.length = 0;
      send({ type: "STREAM", seq: 7, vibCap: 1000, rotCap: 1000, limitS: 1 });
      send({ type: "SET", seq: 8, vib: 500, rot: 0 });
      for (let i = 0; i < 6; i++) {
        await run(250);
        send({ type: "PING", seq: 9 });
      }
      expect(said.map((line) => line.slice(0, line.indexOf("*")))).toContain("ST STOPPING LIMIT 0 1000");
    }
  });
});
