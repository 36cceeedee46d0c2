/**
 * A client that resets its connection during a refused WebSocket upgrade must not crash
 * `massager serve` (which would stop a playing session): Node hands the upgrade socket over
 * with no `error` listener of its own.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { createConnector } from "../../device/app/connect.ts";
import { createDeviceLister } from "../../device/app/list-devices.ts";
import { type RunningServer, startServer } from "../../device/serve/server.ts";

const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  process.off("uncaughtException", onCrash);
  crashes.length = 0;
});

/** Sends an upgrade request with a wrong token, then resets the connection (RST, not FIN). */
function resetDuringUpgrade(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        "GET /api/events?token=wrong HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        () => socket.resetAndDestroy(),
      );
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve());
  });
}

describe("massager serve and a client that resets during an upgrade", () => {
  it("keeps running and answering", async () => {
    process.on("uncaughtException", onCrash);
    const dir = await mkdtemp(join(tmpdir(), "massager-serve-reset-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const core = new AppCore({
      dataDir: dir,
      connect: createConnector(),
      listDevices: createDeviceLister({ firmata: false }),
    });
    await core.init();
    cleanups.push(() => core.close());
    const server: RunningServer = await startServer({
      api: createAppApi(core),
      events: core,
      staticDir: dir,
      token: "a-test-token-of-some-length",
      host: "127.0.0.1",
      port: 0,
    });
    cleanups.push(() => server.close());
    for (let i = 0; i < 20; i++) await resetDuringUpgrade(server.port);
    await new Promise((resolve) => setTimeout(resolve, 50)); // late socket errors surface by now
    expect(crashes).toEqual([]);
    const answer = await fetch(`${server.origin}/api/getSettings`, {
      method: "POST",
      headers: { Authorization: "Bearer a-test-token-of-some-length", "Content-Type": "application/json" },
      body: "[]",
    });
    expect(answer.status).toBe(200);
  });
});
