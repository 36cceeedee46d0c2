/**
 * The simulator's DeviceCore against test/vectors/sessions.json: every frame at its time, with the
 * control loop ticking every millisecond as the firmware's does (test/firmware/native-vectors.test.ts
 * holds the firmware to the same file). Vectors marked `coarse` run again with a 7 ms tick: the
 * simulator acts at exact times, so each frame still says what it said (only its send time moves).
 */
import { describe, expect, it } from "vitest";
import { STOP_BYTE_CHAR } from "../../protocol/limits.ts";
import { matchFrames, sessionFrames, sessionScript } from "../firmware/support/session-script.ts";
import { runSimulator } from "../firmware/support/simulator-twin.ts";
import { type SessionVector, sessionVectors } from "../support/vectors.ts";

const body = (line: string) => line.slice(line.indexOf(" ") + 1);

describe("the simulator against test/vectors/sessions.json", () => {
  it("holds a vector for every question PROTOCOL.md settles by example", () => {
    expect(sessionVectors.length).toBeGreaterThanOrEqual(15);
  });

  it.each(sessionVectors.map((vector) => [vector.name, vector] as const))(
    "%s",
    async (_name, vector: SessionVector) => {
      const run = await runSimulator(sessionScript(vector));
      expect(matchFrames(sessionFrames(run), vector.frames)).toEqual(vector.frames);
      if (!vector.coarse) return;
      const coarse = await runSimulator(sessionScript(vector), { tickMs: 7 });
      const bodies = sessionFrames(coarse).map(body);
      expect(matchFrames(bodies, vector.frames.map(body))).toEqual(vector.frames.map(body));
    },
  );
});

describe("a 1.0 host with a 1.1 device (PROTOCOL.md, Handshake and versions)", () => {
  // What a 1.0 host can send: no GAIN, no stop byte. ID differs (version and bits) and is left out.
  const oneZero = sessionVectors.filter(
    (vector) => !vector.script.some((item) => item.includes(STOP_BYTE_CHAR) || /GAIN|PINS|HELLO|> ID /.test(item)),
  );

  it.each(oneZero.map((vector) => [vector.name, vector] as const))(
    "gets exactly what a 1.0 device says: %s",
    async (_name, vector) => {
      const [old, current] = await Promise.all([
        runSimulator(sessionScript(vector), { protocol: "1.0" }),
        runSimulator(sessionScript(vector)),
      ]);
      expect(sessionFrames(current)).toEqual(sessionFrames(old));
    },
  );

  it("covers most vectors", () => {
    expect(oneZero.length).toBeGreaterThanOrEqual(10);
  });
});
