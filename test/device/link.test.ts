import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { RealClock } from "../../device/clock.ts";
import { FrameLink } from "../../device/controller/link.ts";
import type { Transport, TransportEvents } from "../../device/transport/transport.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

/** A transport whose writes stay under way until the test lets them finish (a slow BLE link). */
class SlowTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description = "slow:test";
  readonly isOpen = true;
  private readonly finishers: Array<() => void> = [];
  async open(): Promise<void> {}
  send(): Promise<void> {
    return new Promise((resolve) => this.finishers.push(resolve));
  }
  finishWrites(): void {
    for (const finish of this.finishers.splice(0)) finish();
  }
  async close(): Promise<void> {}
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
  unhandled.length = 0;
});

describe("the device link", () => {
  it("fails a request whose link closes while its write is still under way, without an unhandled rejection", async () => {
    process.on("unhandledRejection", onUnhandled);
    const transport = new SlowTransport();
    const link = new FrameLink(transport, new RealClock(), 1000);
    const urgent = link.request({ type: "ESTOP" }, { urgent: true }).catch((error: unknown) => error);
    const queued = link.request({ type: "PING" }).catch((error: unknown) => error);
    link.detach(new MassagerError(ErrorCode.Disconnected, "the controller was closed"));
    await new Promise((resolve) => setTimeout(resolve, 20)); // unhandled rejections are reported by now
    transport.finishWrites();
    expect(await urgent).toMatchObject({ code: ErrorCode.Disconnected });
    expect(await queued).toMatchObject({ code: ErrorCode.Disconnected });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
});
