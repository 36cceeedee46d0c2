import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { DeviceCore } from "../../device/simulator/device-core.ts";
import { OutputRecorder } from "../../device/simulator/recorder.ts";
import { checksumHex } from "../../protocol/checksum.ts";
import { decode, encode } from "../../protocol/codec.ts";
import type { HostMessage } from "../../protocol/commands.ts";
import { invalidVectors } from "../support/vectors.ts";

/** A device core wired to arrays: what it said, what it applied. */
function rig(capabilities = {}) {
  const clock = new VirtualClock();
  const said: string[] = [];
  const recorder = new OutputRecorder();
  const core = new DeviceCore({ clock, send: (line) => said.push(line), sink: recorder, capabilities });
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
    expect(send({ type: "HELLO", seq: 9, proto: 1 })).toEqual(["ID 9 1 1.1.0 63 8 16 96 1000 3600 400 1000 1000"]);
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
