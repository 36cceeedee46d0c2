/**
 * One protocol, byte for byte: the firmware's portable core, compiled natively, against the
 * shared vectors in test/vectors/ (the same files the TypeScript codec and player are held to).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEVICE_STATES, DRIVERS, encode, STATE_REASONS } from "../../protocol/index.ts";
import { uploadFrames, withSeq } from "../../protocol/upload.ts";
import {
  frameVectors as frames,
  invalidVectors as invalid,
  playbackVectors as playback,
  playbackProgram,
  pwmVectors,
  sessionVectors,
} from "../support/vectors.ts";
import { canonicalMessage } from "./support/canonical.ts";
import { DeviceScript, nativeDriver, runNative } from "./support/native-driver.ts";
import { matchFrames, sessionFrames, sessionScript } from "./support/session-script.ts";

// The native build (g++, cached by source hash) under the hook's timeout, not the first test's:
// on a loaded machine a fresh build alone can take longer than a test may.
beforeAll(() => nativeDriver(), 120_000);

describe("the firmware's decoder against test/vectors/frames.json", () => {
  it("decodes every valid request to the same fields as the TypeScript codec, and knows every device frame", async () => {
    expect(frames.filter((vector) => vector.from === "host").length).toBeGreaterThan(20);
    const script = new DeviceScript();
    for (const vector of frames) script.decode(vector.line);
    const { results } = await runNative(script);
    expect(results).toEqual(frames.map((vector) => `message ${canonicalMessage(vector.message)}`));
  });

  it("refuses a device frame sent to it as UnknownCommand, with its seq", async () => {
    const script = new DeviceScript().send("OK 65535*59").send("ST IDLE BOOT 0 0*FE").send("PING 1*AD");
    const run = await runNative(script);
    expect(run.frames.slice(1).map((frame) => frame.line)).toEqual([
      encode({ type: "ER", seq: 65535, code: 102 }),
      encode({ type: "ER", seq: 0, code: 102 }),
      encode({ type: "OK", seq: 1 }),
    ]);
  });
});

describe("the firmware's frame writer against test/vectors/frames.json", () => {
  const written = frames.filter((vector) => vector.from === "device" && vector.canonical);

  it("writes every device frame byte for byte as the TypeScript encoder does", async () => {
    const script = new DeviceScript();
    for (const { message } of written) {
      switch (message.type) {
        case "OK":
          script.format("OK", message.seq);
          break;
        case "ER":
          script.format("ER", message.seq, message.code);
          break;
        case "ST":
          script.format(
            "ST",
            DEVICE_STATES.indexOf(message.state),
            STATE_REASONS.indexOf(message.reason),
            message.step,
            message.posMs,
          );
          break;
        case "TM":
          script.format("TM", message.tMs, message.vib, message.rot, message.step, message.posMs);
          break;
        case "ID": {
          const version = message.firmware.split(".");
          script.format(
            "ID",
            message.seq,
            message.proto,
            ...version,
            message.caps,
            message.pwmBits,
            message.maxBlocks,
            message.maxKeys,
            message.watchdogMs,
            message.maxSessionS,
            message.slewMs,
            message.vibCap,
            message.rotCap,
          );
          break;
        }
        case "PN":
          script.format(
            "PN",
            message.seq,
            DRIVERS.indexOf(message.drv),
            message.vib,
            message.rot,
            message.cw,
            message.ccw,
            message.stby,
            message.pwmHz,
          );
          break;
        default:
          throw new Error(`no device frame ${message.type}`);
      }
    }
    const { results } = await runNative(script);
    expect(results.length).toBe(written.length);
    expect(results).toEqual(written.map((vector) => vector.line));
  });
});

describe("the firmware's decoder against test/vectors/invalid.json", () => {
  // Lines marked "device" are meant for the host's decoder, but the firmware reads them the same way.
  const cases = invalid;

  it("refuses every invalid line with the same code and seq (or discards it)", async () => {
    expect(cases.length).toBeGreaterThan(50);
    const script = new DeviceScript();
    for (const vector of cases) script.decode(vector.line);
    const { results } = await runNative(script);
    const got = cases.map((vector, i) => `${vector.why}: ${results[i]}`);
    const expected = cases.map(
      (vector) => `${vector.why}: ${vector.code === null ? "discarded" : `error ${vector.code} ${vector.seq}`}`,
    );
    expect(got).toEqual(expected);
  });

  it("answers each of them on the wire with ER and moves no motor", async () => {
    const script = new DeviceScript();
    for (const vector of cases) script.send(vector.line).advance(1);
    const run = await runNative(script);
    const replies = run.frames.map((frame) => frame.line).filter((line) => !line.startsWith("ST IDLE BOOT"));
    const expected = cases.filter((vector) => vector.code !== null).map((vector) => `ER ${vector.seq} ${vector.code}`);
    expect(replies.map((line) => line.slice(0, line.indexOf("*")))).toEqual(expected);
    expect(run.outputs.every((change) => change.vib === 0 && change.rot === 0)).toBe(true);
  });
});

describe("the firmware's player against test/vectors/playback.json", () => {
  it.each(playback.map((vector) => [vector.name, vector] as const))("%s", async (_name, vector) => {
    const script = new DeviceScript();
    let seq = 1;
    for (const frame of uploadFrames(playbackProgram(vector))) script.send(encode(withSeq(frame, seq++)));
    for (const sample of vector.samples) script.sample(sample.posMs);
    const run = await runNative(script);
    // The upload itself went through the device's own parser and program store without a refusal.
    expect(run.frames.filter((frame) => frame.line.startsWith("ER"))).toEqual([]);
    expect(run.frames.filter((frame) => frame.line.startsWith("OK"))).toHaveLength(seq - 1);
    expect(run.results).toEqual(
      vector.samples.map((sample) => `${sample.vib} ${sample.rot} ${sample.step} ${sample.done}`),
    );
  });
});

describe("the firmware against test/vectors/sessions.json", () => {
  it.each(sessionVectors.map((vector) => [vector.name, vector] as const))("%s", async (_name, vector) => {
    const run = await runNative(sessionScript(vector));
    expect(matchFrames(sessionFrames(run), vector.frames)).toEqual(vector.frames);
  });
});

describe("the firmware's level-to-PWM mapping against test/vectors/pwm.json", () => {
  it("keeps each pin high for the same number of steps", async () => {
    const script = new DeviceScript();
    for (const vector of pwmVectors) script.pwm(vector.level, vector.steps);
    const { results } = await runNative(script);
    expect(results).toEqual(pwmVectors.map((vector) => String(vector.on)));
  });
});
