import { describe, expect, it } from "vitest";
import { lineKind, SendQueue } from "../../device/transport/ble/send-queue.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";

/** A write that only finishes when the test says so, like a BLE write waiting for its acknowledgement. */
function gatedWriter() {
  const written: string[] = [];
  const gates: Array<() => void> = [];
  const write = (line: string) =>
    new Promise<void>((resolve) => {
      written.push(line);
      gates.push(resolve);
    });
  const release = async () => {
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { written, write, release };
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    () => "sent",
    (error: unknown) => (isMassagerError(error) ? `E${error.code}` : "other"),
  );

describe("lineKind", () => {
  it("treats stops as urgent, SET as a setpoint and the rest as ordinary", () => {
    expect(lineKind("ESTOP 4*11")).toBe("urgent");
    expect(lineKind("STOP 5*22")).toBe("urgent");
    expect(lineKind("SET 6 100 0*33")).toBe("setpoint");
    expect(lineKind("STATUS 7*44")).toBe("normal");
    expect(lineKind("STREAM 8 1000 1000 60*55")).toBe("normal");
    expect(lineKind("PING")).toBe("normal");
  });
});

describe("SendQueue", () => {
  it("writes one line at a time, in order", async () => {
    const writer = gatedWriter();
    const queue = new SendQueue(writer.write, 8, "test");
    const results = ["PING 1*00", "PING 2*00", "PING 3*00"].map((line) => settle(queue.send(line)));
    expect(writer.written).toEqual(["PING 1*00"]);
    await writer.release();
    expect(writer.written).toEqual(["PING 1*00", "PING 2*00"]);
    await writer.release();
    await writer.release();
    expect(await Promise.all(results)).toEqual(["sent", "sent", "sent"]);
  });

  it("keeps only the latest waiting setpoint and rejects the replaced ones as superseded", async () => {
    const writer = gatedWriter();
    const queue = new SendQueue(writer.write, 8, "test");
    const first = settle(queue.send("SET 1 100 0*00"));
    const flood = Array.from({ length: 50 }, (_, i) => settle(queue.send(`SET ${i + 2} ${i * 10} 0*00`)));
    expect(queue.waiting).toBe(1);
    await writer.release();
    await writer.release();
    expect(writer.written).toEqual(["SET 1 100 0*00", "SET 51 490 0*00"]);
    expect(await first).toBe("sent");
    const outcomes = await Promise.all(flood);
    expect(outcomes.slice(0, -1).every((outcome) => outcome === `E${ErrorCode.SendSuperseded}`)).toBe(true);
    expect(outcomes.at(-1)).toBe("sent");
  });

  it("lets ESTOP and STOP jump ahead of waiting lines and drops waiting setpoints", async () => {
    const writer = gatedWriter();
    const queue = new SendQueue(writer.write, 8, "test");
    const results = [
      settle(queue.send("PING 1*00")),
      settle(queue.send("STATUS 2*00")),
      settle(queue.send("SET 3 500 0*00")),
      settle(queue.send("STOP 4*00")),
      settle(queue.send("ESTOP 5*00")),
    ];
    for (let i = 0; i < 4; i++) await writer.release();
    // PING was already in flight; the stops go next, in the order they were asked for.
    expect(writer.written).toEqual(["PING 1*00", "STOP 4*00", "ESTOP 5*00", "STATUS 2*00"]);
    expect(await Promise.all(results)).toEqual(["sent", "sent", `E${ErrorCode.SendSuperseded}`, "sent", "sent"]);
  });

  it("refuses ordinary lines beyond its bound, but never a stop", async () => {
    const writer = gatedWriter();
    const queue = new SendQueue(writer.write, 2, "test");
    const inFlight = settle(queue.send("PING 1*00"));
    const waiting = [settle(queue.send("PING 2*00")), settle(queue.send("PING 3*00"))];
    expect(await settle(queue.send("PING 4*00"))).toBe(`E${ErrorCode.TransportFailed}`);
    const stop = settle(queue.send("ESTOP 5*00"));
    expect(queue.waiting).toBe(3);
    for (let i = 0; i < 4; i++) await writer.release();
    expect(writer.written).toEqual(["PING 1*00", "ESTOP 5*00", "PING 2*00", "PING 3*00"]);
    expect(await Promise.all([inFlight, ...waiting, stop])).toEqual(["sent", "sent", "sent", "sent"]);
  });

  it("rejects what waits, and everything after, once closed", async () => {
    const writer = gatedWriter();
    const queue = new SendQueue(writer.write, 8, "test");
    void queue.send("PING 1*00");
    const waiting = settle(queue.send("PING 2*00"));
    queue.close(new MassagerError(ErrorCode.Disconnected, "gone"));
    expect(await waiting).toBe(`E${ErrorCode.Disconnected}`);
    expect(await settle(queue.send("PING 3*00"))).toBe(`E${ErrorCode.Disconnected}`);
  });

  it("passes a failed write's error to its sender and goes on with the next line", async () => {
    let calls = 0;
    const queue = new SendQueue(
      async (line) => {
        calls++;
        if (line.startsWith("BAD")) throw new Error("radio fault");
      },
      8,
      "test",
    );
    const bad = settle(queue.send("BAD 1*00"));
    const good = settle(queue.send("PING 2*00"));
    expect(await bad).toBe(`E${ErrorCode.TransportFailed}`);
    expect(await good).toBe("sent");
    expect(calls).toBe(2);
  });
});
