/**
 * The debug log (device/log.ts): DEBUG=massager:* turns on frames in and out, noise, session
 * transitions, reconnects and transport opens/closes; without it nothing is written.
 * The namespaces are switched programmatically (debug.enable), and debug.log is captured.
 */
import { createServer, type Socket } from "node:net";
import { format } from "node:util";
import debug from "debug";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { TcpTransport } from "../../device/transport/tcp.ts";
import type { Transport } from "../../device/transport/transport.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { sessionOf } from "../support/sessions.ts";

const hold: WireProgram = {
  blocks: [{ durationMs: 1000, step: 0, vib: [{ dtMs: 200, value: 500, ease: "linear" }], rot: [] }],
};

const originalLog = debug.log;
const originalNamespaces = debug.disable();
afterEach(() => {
  debug.disable();
  debug.log = originalLog;
});
// Put back whatever DEBUG the run was started with.
afterAll(() => debug.enable(originalNamespaces));

/** Enables `namespaces` ("" for none) and returns the lines the debug package writes. */
function captureDebug(namespaces: string): string[] {
  const lines: string[] = [];
  debug.disable();
  debug.log = (...args: unknown[]) => lines.push(format(...args));
  if (namespaces !== "") debug.enable(namespaces);
  return lines;
}

/** Connects, plays a short session, loses the link once (it reconnects), hears noise, and closes. */
async function exercise(): Promise<void> {
  const clock = new VirtualClock();
  const sim = createInProcessSimulator({ clock });
  let host: Transport | undefined;
  const controller = new Controller({
    transport: () => {
      host = sim.connect();
      return host;
    },
    clock,
  });
  await clock.runUntil(controller.connect());
  host?.emit("line", "garbage from a bootloader");
  await clock.runUntil(controller.play(sessionOf(hold)));
  await clock.runUntil(controller.waitForEnd());
  const reconnected = new Promise<void>((resolve) =>
    controller.on("connection", (status) => status === "connected" && resolve()),
  );
  host?.emit("disconnect", new MassagerError(ErrorCode.Disconnected, "sim: unplugged for the test"));
  await clock.runUntil(reconnected);
  await clock.runUntil(controller.close());
  sim.device.stop();
}

describe("the debug log", () => {
  it("DEBUG=massager:* shows frames in and out, noise, session transitions and reconnects", async () => {
    const lines = captureDebug("massager:*");
    await exercise();
    const of = (namespace: string) => lines.filter((line) => line.includes(`massager:${namespace} `));
    expect(of("link").some((line) => /sim > HELLO \d+ 1\*/.test(line))).toBe(true);
    expect(of("link").some((line) => /sim < ID \d+ /.test(line))).toBe(true);
    expect(
      of("link").some((line) => line.includes("dropped as noise") && line.includes("garbage from a bootloader")),
    ).toBe(true);
    expect(of("session").some((line) => line.includes("-> playing"))).toBe(true);
    expect(of("session").some((line) => line.includes("-> ended"))).toBe(true);
    expect(of("reconnect").some((line) => line.includes("unplugged for the test"))).toBe(true);
    expect(of("reconnect").some((line) => /connected \(attempt 1\)/.test(line))).toBe(true);
  });

  it("one namespace alone: DEBUG=massager:link writes only link lines", async () => {
    const lines = captureDebug("massager:link");
    await exercise();
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.every((line) => line.includes("massager:link "))).toBe(true);
  });

  it("a TCP transport logs its open, close and loss under massager:transport", async () => {
    const lines = captureDebug("massager:transport");
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const first = new TcpTransport({ host: "127.0.0.1", port });
    await first.open();
    await first.close();
    const second = new TcpTransport({ host: "127.0.0.1", port });
    await second.open();
    const lost = new Promise((resolve) => second.once("disconnect", resolve));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the server has accepted both
    for (const socket of sockets) socket.destroy();
    await lost;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const name = `tcp:127.0.0.1:${port}`;
    expect(lines.filter((line) => line.includes(`${name}: open`))).toHaveLength(2);
    expect(lines.filter((line) => line.includes(`${name}: closed`))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(`${name}: lost (the connection closed)`))).toHaveLength(1);
  });

  it("is silent when DEBUG names none of it (the default)", async () => {
    const lines = captureDebug("");
    await exercise();
    expect(debug.enabled("massager:link")).toBe(false);
    expect(lines).toEqual([]);
  });
});
