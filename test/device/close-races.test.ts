import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import type { MemoryTransport } from "../../device/transport/memory.ts";
import { ErrorCode } from "../../protocol/errors.ts";

/** An in-process simulator whose host-side transports record every line sent, with its time. */
function recordedRig(clock: VirtualClock, latencyMs = 20) {
  const sim = createInProcessSimulator({ clock, latencyMs });
  const transports: MemoryTransport[] = [];
  const sent: Array<{ tMs: number; line: string }> = [];
  const factory = () => {
    const transport = sim.connect() as MemoryTransport;
    const send = transport.send.bind(transport);
    transport.send = (line: string) => {
      sent.push({ tMs: clock.now(), line });
      return send(line);
    };
    transports.push(transport);
    return transport;
  };
  return { sim, transports, sent, factory };
}

describe("closing the controller while it connects", () => {
  it("a connect() under way when close() runs fails and leaves no link, heartbeat or open transport", async () => {
    const clock = new VirtualClock();
    const rig = recordedRig(clock);
    const controller = new Controller({ clock, transport: rig.factory });
    const connecting = controller.connect().then(
      () => "connected",
      (error: { code?: number }) => error.code,
    );
    await clock.advance(10); // the handshake is under way
    await controller.close();
    expect(await clock.runUntil(connecting)).toBe(ErrorCode.Disconnected);
    const closedAt = clock.now();
    await clock.advance(10_000);
    expect(rig.sent.filter((s) => s.tMs > closedAt && s.line.startsWith("PING"))).toEqual([]); // no heartbeat
    expect(rig.transports.every((t) => !t.isOpen)).toBe(true);
    expect(controller.connection).toBe("disconnected");
  });

  it("a reconnect attempt under way when close() runs leaves no link, heartbeat or open transport", async () => {
    const clock = new VirtualClock();
    const rig = recordedRig(clock);
    const controller = new Controller({ clock, transport: rig.factory });
    await clock.runUntil(controller.connect());
    rig.transports[0]?.sever();
    // Wait until the second transport exists: a reconnect attempt is handshaking.
    while (rig.transports.length < 2) await clock.advance(5);
    await controller.close();
    const closedAt = clock.now();
    await clock.advance(10_000);
    // The handshake under way may still finish (its ESTOP is welcome); no heartbeat follows it.
    expect(rig.sent.filter((s) => s.tMs > closedAt && s.line.startsWith("PING"))).toEqual([]);
    expect(rig.transports.every((t) => !t.isOpen)).toBe(true);
    expect(controller.connection).toBe("disconnected");
  });

  it("a transport still opening when close() runs is closed once open, with no handshake on it", async () => {
    const clock = new VirtualClock();
    const rig = recordedRig(clock);
    let finishOpening: () => void = () => {};
    let opened: MemoryTransport | undefined;
    const controller = new Controller({
      clock,
      transport: () => {
        const transport = rig.factory();
        const open = transport.open.bind(transport);
        transport.open = () => new Promise<void>((resolve) => (finishOpening = resolve)).then(open);
        opened = transport;
        return transport;
      },
    });
    const connecting = controller.connect().then(
      () => "connected",
      (error: { code?: number }) => error.code,
    );
    await clock.advance(10); // open() is under way (a BLE scan)
    await controller.close();
    finishOpening();
    expect(await clock.runUntil(connecting)).toBe(ErrorCode.Disconnected);
    expect(rig.sent).toEqual([]); // not even a HELLO
    expect(opened?.isOpen).toBe(false);
  });
});
