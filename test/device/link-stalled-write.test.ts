import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { FrameLink } from "../../device/controller/link.ts";
import type { Transport, TransportEvents } from "../../device/transport/transport.ts";
import { ErrorCode } from "../../protocol/errors.ts";

/** A transport whose writes never finish: a stalled link (or a buggy plugin transport). */
class StalledTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description = "stalled:test";
  readonly isOpen = true;
  readonly sent: string[] = [];
  async open(): Promise<void> {}
  send(line: string): Promise<void> {
    this.sent.push(line);
    return new Promise(() => {});
  }
  async close(): Promise<void> {}
}

describe("the device link over a stalled write", () => {
  it("times a request out after its timeout even though its write never finishes, and goes on to the next", async () => {
    const clock = new VirtualClock();
    const transport = new StalledTransport();
    const link = new FrameLink(transport, clock, 1000);
    const first = link.request({ type: "PING" }).catch((error: unknown) => error);
    const second = link.request({ type: "PING" }).catch((error: unknown) => error);
    const urgent = link.request({ type: "ESTOP" }, { urgent: true }).catch((error: unknown) => error);
    expect(await clock.runUntil(first, 5000)).toMatchObject({ code: ErrorCode.Timeout });
    expect(await clock.runUntil(urgent, 5000)).toMatchObject({ code: ErrorCode.Timeout });
    // The queue is not stuck behind the stalled write: the second request was sent and timed out too.
    expect(await clock.runUntil(second, 5000)).toMatchObject({ code: ErrorCode.Timeout });
    expect(transport.sent.length).toBe(3);
    expect(link.idle).toBe(true);
  });
});
