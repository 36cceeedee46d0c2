/**
 * The stop byte over the BLE bridge profiles (PROTOCOL.md, "The stop byte" and "BLE bridges"):
 * the simulated peripheral's device end passes 0x18 through from any write, acts on it the moment
 * that write arrives (not at the next line ending), and drops the partial line it cut.
 */
import { describe, expect, it } from "vitest";
import { PeripheralLink } from "../../device/ble-peripheral/peripheral-link.ts";
import { VirtualClock } from "../../device/clock.ts";
import { SimulatedDevice } from "../../device/simulator/simulated-device.ts";
import { encode } from "../../protocol/codec.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";

function rig() {
  const clock = new VirtualClock(0);
  const device = new SimulatedDevice({ clock, tickMs: 1 });
  const link = new PeripheralLink("ble test");
  const notified: string[] = [];
  link.subscribed((data) => notified.push(data.toString("latin1")), 20);
  device.attach(link);
  device.start();
  const write = (text: string | Buffer) => link.written(typeof text === "string" ? Buffer.from(text, "latin1") : text);
  const lines = () =>
    notified
      .join("")
      .split("\n")
      .filter((line) => line !== "");
  return { clock, device, link, write, lines };
}

describe("the stop byte through a BLE bridge (NUS and HM-10 share the device end)", () => {
  it("cuts the outputs within the write that carries it, mid-line, and reports ST IDLE ESTOP", async () => {
    const { clock, device, write, lines } = rig();
    write(`${encode({ type: "STREAM", seq: 1, vibCap: 1000, rotCap: 1000, limitS: 60 })}\n`);
    write(`${encode({ type: "SET", seq: 2, vib: 800, rot: -800 })}\n`);
    await clock.advance(400);
    expect(device.core.state.applied).toEqual({ vib: 800, rot: -800 });
    // A 20-byte write: the start of a frame, then the stop byte; no line ending follows.
    write(Buffer.concat([Buffer.from("SET 3 1000 ", "latin1"), Buffer.from([STOP_BYTE])]));
    expect(device.core.state.applied).toEqual({ vib: 0, rot: 0 });
    expect(device.core.state).toMatchObject({ state: "IDLE", reason: "ESTOP" });
    expect(lines().filter((line) => line.startsWith("ST "))).toEqual([
      "ST IDLE BOOT 0 0*FE",
      "ST STREAMING HOST 0 0*23",
      expect.stringMatching(/^ST IDLE ESTOP 0 400\*/),
    ]);
    // The cut line is gone: what follows is a new line, and nothing answers the partial SET.
    write(`${encode({ type: "PING", seq: 4 })}\n`);
    const ok = (seq: number) => encode({ type: "OK", seq });
    expect(lines().filter((line) => /^(OK|ER) /.test(line))).toEqual([ok(1), ok(2), ok(4)]);
  });

  it("completes the lines before the byte in the same write first", async () => {
    const { device, write, lines } = rig();
    const stream = encode({ type: "STREAM", seq: 1, vibCap: 1000, rotCap: 1000, limitS: 60 });
    write(Buffer.concat([Buffer.from(`${stream}\n`, "latin1"), Buffer.from([STOP_BYTE])]));
    expect(device.core.state).toMatchObject({ state: "IDLE", reason: "ESTOP" });
    expect(lines().slice(1, 4)).toEqual([
      encode({ type: "OK", seq: 1 }),
      "ST STREAMING HOST 0 0*23",
      expect.stringMatching(/^ST IDLE ESTOP/),
    ]);
  });
});
