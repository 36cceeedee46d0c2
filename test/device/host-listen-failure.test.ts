import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { hostOnTcp } from "../../device/simulator/hosts.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { stopAll } from "../support/managed-process.ts";
import { runMassager } from "../support/massager-cli.ts";

let blocker: Server | undefined;

afterEach(async () => {
  await stopAll();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

async function busyPort(): Promise<number> {
  const server = createServer();
  blocker = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("a simulator host that cannot listen", () => {
  it("rejects with PortBusy and leaves no device timers running", async () => {
    const port = await busyPort();
    const clock = new VirtualClock();
    await expect(hostOnTcp(port, { clock })).rejects.toMatchObject({ code: ErrorCode.PortBusy });
    expect(clock.pending).toBe(0);
  });

  it("`massager simulate --tcp` on a port in use exits with one line instead of hanging", async () => {
    const port = await busyPort();
    const result = await runMassager(["simulate", "--tcp", String(port)], 15_000);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`tcp:127.0.0.1:${port}: cannot listen (EADDRINUSE)`);
  }, 20_000);
});
