/**
 * End to end through the real BLE stacks: btvirt's emulated LE controllers, bleno (the
 * simulated massager, in a child process) and noble (the controller's BleTransport), each on
 * an HCI UART bridged by socat. One btvirt at a time: this file's tests run in sequence, and
 * a lock keeps other users (the bench) out.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Controller } from "../../device/controller/controller.ts";
import type { ConnectionStatus } from "../../device/controller/types.ts";
import type { BleOptions } from "../../device/transport/ble/options.ts";
import { BleTransport } from "../../device/transport/ble.ts";
import { decode, encode } from "../../protocol/codec.ts";
import { Capability } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import type { WireProgram } from "../../protocol/program.ts";
import { stopAll } from "../support/managed-process.ts";
import { runMassager, startMassager } from "../support/massager-cli.ts";
import { sessionOf } from "../support/sessions.ts";
import { canRun, missingCommands } from "../support/tools.ts";
import { sleep, until } from "../support/wait.ts";
import { type BleLab, startBleLab } from "./support/ble-lab.ts";
import { changesOffProgram, deviationsFromProgram } from "./support/follow-program.ts";
import { type PeripheralProcess, type PeripheralSpec, startPeripheral } from "./support/peripheral-process.ts";

/** What the suite needs from the machine; on a developer machine without it, it says why and skips. */
const runs = canRun(
  "the BLE end-to-end suite",
  process.platform === "linux"
    ? missingCommands(["apt-get", "dpkg-deb", "gcc", "socat"])
    : [`Linux (this is ${process.platform})`],
  "a Debian or Ubuntu machine with gcc and socat (apt-get install gcc socat)",
);

const LIMIT_MS = 120_000;

describe.runIf(runs)("BLE end to end (btvirt + bleno + noble)", () => {
  let lab: BleLab;
  const scratch = mkdtempSync(join(tmpdir(), "massager-ble-e2e-"));
  let peripheral: PeripheralProcess | undefined;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    lab = await startBleLab(LIMIT_MS * 3);
  }, 120_000);

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    await peripheral?.stop();
    peripheral = undefined;
  });

  afterAll(async () => {
    await lab?.stop();
    await stopAll();
    rmSync(scratch, { recursive: true, force: true });
  });

  const massager = async (spec: Partial<PeripheralSpec> = {}) => {
    peripheral = await startPeripheral({
      port: lab.peripheralPort,
      profile: "nus",
      name: "Massager",
      timeoutMs: LIMIT_MS,
      ...spec,
    });
    return peripheral;
  };

  const bleOptions = (overrides: Partial<BleOptions> = {}): Partial<BleOptions> => ({
    hci: { kind: "uart", port: lab.centralPort, baudRate: 1_000_000 },
    scanTimeoutMs: 5000,
    ...overrides,
  });

  const openTransport = async (overrides: Partial<BleOptions> = {}) => {
    const transport = new BleTransport(bleOptions(overrides));
    cleanups.push(() => transport.close());
    const lines: string[] = [];
    transport.on("line", (line) => lines.push(line));
    await transport.open();
    // A wait, not a timing assertion: long, as a loaded machine may answer seconds late.
    const reply = async (seq: number, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => {
          const result = decode(l);
          return result.kind === "message" && "seq" in result.message && result.message.seq === seq;
        });
        if (line !== undefined) return line;
        if (Date.now() > deadline) throw new Error(`no reply to ${seq}; got ${lines.join(" | ")}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    return { transport, lines, reply };
  };

  it("massager simulate --ble, scan --json and play --device ble:NAME work together", async () => {
    const trace = join(scratch, "ble-trace.csv");
    const simulator = startMassager(
      ["simulate", "--ble", "--name", "Scalp-E2E", "--hci", `uart:${lab.peripheralPort}`, "--trace", trace],
      LIMIT_MS,
    );
    cleanups.push(async () => {
      await simulator.stop();
    });
    await until(
      () => simulator.output().includes("ble: Scalp-E2E"),
      15_000,
      () => `simulate --ble to start (it said: ${simulator.output().trim()})`,
      50,
    );
    const address = /ble: Scalp-E2E \(([0-9a-f:]+),/.exec(simulator.output())?.[1];
    expect(address).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);

    const scan = await runMassager(["scan", "--json", "--timeout", "1.5", "--hci", `uart:${lab.centralPort}`], 20_000);
    expect(scan.stderr).toBe("");
    expect(scan.code).toBe(0);
    const rows = JSON.parse(scan.stdout) as { name: string; address: string; service: string }[];
    expect(rows).toContainEqual(expect.objectContaining({ name: "Scalp-E2E", address, service: "nus" }));

    const hci = `uart:${lab.centralPort}`;
    const play = await runMassager(
      ["play", "scalp-circles", "--minutes", "0.05", "--device", "ble:Scalp-E2E", "--hci", hci, "--json"],
      30_000,
    );
    expect(play.stderr).toBe("");
    expect(play.code).toBe(0);
    expect(play.stdout).toContain('"event":"ended","completed":true');

    // Ctrl-C on the simulator: it exits 130 with its outputs at zero (the trace's last row).
    simulator.child.kill("SIGINT");
    expect(await simulator.exited).toBe(130);
    const traceRows = readFileSync(trace, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((row) => row.split(",").map(Number));
    expect(traceRows.some(([, vib]) => (vib ?? 0) > 0.2)).toBe(true);
    expect(traceRows.at(-1)?.slice(1)).toEqual([0, 0]);
  });

  it("Ctrl-C on play --device ble stops the motors with ESTOP (not the watchdog) and exits 130", async () => {
    const device = await massager({ name: "CtrlC" });
    const play = startMassager(
      [
        "play",
        "scalp-circles",
        "--minutes",
        "1",
        "--device",
        "ble:CtrlC",
        "--hci",
        `uart:${lab.centralPort}`,
        "--json",
      ],
      30_000,
    );
    cleanups.push(async () => {
      await play.stop();
    });
    await device.waitFor((m) => m.type === "state" && m.line.startsWith("ST PLAYING"), 15_000);
    await sleep(500);
    play.child.kill("SIGINT");
    expect(await play.exited).toBe(130);
    const stopped = await device.waitFor((m) => m.type === "state" && m.line.startsWith("ST IDLE"), 10_000);
    expect(stopped.type === "state" && stopped.line).toMatch(/^ST IDLE ESTOP /);
    const record = await device.record();
    expect(record.changes.at(-1)).toMatchObject({ vib: 0, rot: 0 });
  });

  it("plays a whole session over the Nordic UART Service; the applied outputs follow the program", async () => {
    const device = await massager();
    const program: WireProgram = {
      blocks: [
        {
          durationMs: 1500,
          step: 0,
          vib: [{ dtMs: 1500, value: 600, ease: "linear" }],
          rot: [{ dtMs: 1500, value: 300, ease: "linear" }],
        },
        {
          durationMs: 1500,
          step: 1,
          vib: [
            { dtMs: 500, value: 800, ease: "sine" },
            { dtMs: 500, value: 200, ease: "sine" },
          ],
          rot: [{ dtMs: 1500, value: -300, ease: "easeInOut" }],
        },
      ],
    };
    const controller = new Controller({ transport: () => new BleTransport(bleOptions()) });
    cleanups.push(() => controller.close());
    const info = await controller.connect();
    expect(info.program).toBe(true);
    await controller.play(sessionOf(program));
    const end = await controller.waitForEnd();
    expect(end).toEqual({ completed: true, reason: "DONE" });

    const record = await device.record();
    // The device's own trace: every change it made holds the program's level at that change's device
    // time. When its real timers let it act is the machine's business (late steps hold a level
    // longer), so that is only bounded loosely: it acted throughout, never a second apart.
    // Session start and changes share one timebase: the first movement comes after the start.
    const firstMove = record.changes.find((c) => c.vib !== 0 || c.rot !== 0);
    expect(firstMove?.tMs).toBeGreaterThan(record.sessionStartMs);
    expect(firstMove?.tMs).toBeLessThan(record.sessionStartMs + 1000);
    expect(changesOffProgram(record.changes, program, record.sessionStartMs, 3000)).toEqual([]);
    const during = record.changes.filter((c) => c.tMs > record.sessionStartMs && c.tMs < record.sessionStartMs + 3000);
    expect(during.length).toBeGreaterThan(20);
    const gaps = during.slice(1).map((c, i) => c.tMs - (during[i]?.tMs ?? 0));
    expect(Math.max(...gaps)).toBeLessThan(1000);
    const peak = Math.max(...record.changes.map((change) => change.vib));
    expect(peak).toBeGreaterThan(700);
    expect(record.changes.at(-1)).toMatchObject({ vib: 0, rot: 0 });
    expect(record.state).toBe("IDLE");
  });

  it("splits lines longer than the MTU into 20-byte writes and reassembles the replies (HM-10, MTU 23)", async () => {
    await massager({ profile: "hm10", name: "HMSoft" });
    const { transport, reply } = await openTransport({ target: "HMSoft" });
    expect(transport.info).toMatchObject({ profile: { id: "hm10" }, mtu: 23, name: "HMSoft" });

    await transport.send(encode({ type: "HELLO", seq: 1, proto: 1 }));
    const id = await reply(1);
    // The ID reply is 51 bytes: three notifications, joined again.
    expect(id.length).toBeGreaterThan(40);
    expect(decode(id)).toMatchObject({ kind: "message", message: { type: "ID", seq: 1, maxBlocks: 16 } });

    const longest = encode({
      type: "KEY",
      seq: 65_535,
      track: "V",
      keys: Array.from({ length: 4 }, (_, i) => ({ dtMs: 65_535 - i, value: 1000 - i, ease: "sine" as const })),
    });
    expect(longest.length).toBeGreaterThan(60);
    await transport.send(encode({ type: "LOAD", seq: 2, blocks: 1, totalMs: 262_134 }));
    await transport.send(encode({ type: "BLK", seq: 3, durationMs: 262_134, step: 0 }));
    await transport.send(longest);
    await transport.send(encode({ type: "COMMIT", seq: 4 }));
    // A checksum error (ER 100) would show a frame broken in transit; OK shows it arrived whole.
    expect(await reply(2)).toMatch(/^OK 2\*/);
    expect(await reply(3)).toMatch(/^OK 3\*/);
    expect(await reply(65_535)).toMatch(/^OK 65535\*/);
    expect(await reply(4)).toMatch(/^OK 4\*/);
  });

  it("a dropped link stops the motors by the watchdog; the controller reconnects and finishes the session", async () => {
    const device = await massager();
    const program: WireProgram = {
      blocks: [
        { durationMs: 3500, step: 0, vib: [{ dtMs: 400, value: 500, ease: "linear" }], rot: [] },
        { durationMs: 1000, step: 1, vib: [{ dtMs: 1000, value: 300, ease: "linear" }], rot: [] },
      ],
    };
    // The first retry waits longer than the watchdog, so the device is seen to stop on its own.
    const controller = new Controller({
      transport: () => new BleTransport(bleOptions()),
      reconnectInitialDelayMs: 1500,
      reconnectWindowMs: 15_000,
    });
    cleanups.push(() => controller.close());
    const connection: ConnectionStatus[] = [];
    controller.on("connection", (status) => connection.push(status));
    await controller.connect();
    await controller.play(sessionOf(program));
    await device.waitFor((m) => m.type === "state" && m.line.startsWith("ST PLAYING"), 10_000);
    await sleep(1200);
    const before = await device.record();
    expect(before.changes.at(-1)?.vib).toBe(500);

    device.dropHost();
    const watchdog = await device.waitFor((m) => m.type === "state" && m.line.startsWith("ST IDLE WDOG"), 10_000);
    if (watchdog.type !== "state") throw new Error("unreachable");
    // In the device's time: the outputs are cut one watchdog period (1000 ms) after the last frame it
    // read. (When that frame came, a heartbeat before the drop or one in flight, is the host's timing.)
    const stopped = await device.record();
    const cut = stopped.changes.find((c) => c.tMs > watchdog.lastFrameMs && c.vib === 0 && c.rot === 0);
    expect(cut).toBeDefined();
    expect((cut?.tMs ?? 0) - watchdog.lastFrameMs).toBeGreaterThanOrEqual(1000 - 1);
    expect((cut?.tMs ?? 0) - watchdog.lastFrameMs).toBeLessThanOrEqual(1000 + 5);
    expect(watchdog.lastFrameMs).toBeGreaterThan(before.sessionStartMs);

    const end = await controller.waitForEnd();
    expect(connection).toContain("reconnecting");
    expect(connection.at(-1)).toBe("connected");
    expect(end.completed).toBe(true);
    const after = await device.record();
    // Playing again after the reconnection: outputs rose from zero once more, then ramped down at the end.
    expect(after.changes.some((c) => c.tMs > watchdog.tMs && c.vib >= 250)).toBe(true);
    expect(after.changes.at(-1)).toMatchObject({ vib: 0, rot: 0 });
    expect(device.notices.filter((m) => m.type === "connect")).toHaveLength(2);
  });

  it("a flood of setpoints does not back up: the latest wins, stops jump ahead", async () => {
    const device = await massager({ name: "Streamer" });
    const { transport, reply } = await openTransport();
    await transport.send(encode({ type: "HELLO", seq: 1, proto: 1 }));
    await reply(1);
    await transport.send(encode({ type: "STREAM", seq: 2, vibCap: 1000, rotCap: 1000, limitS: 60 }));
    expect(await reply(2)).toMatch(/^OK 2\*/);

    const outcome = (promise: Promise<void>) =>
      promise.then(
        () => "sent",
        (error: unknown) => (isMassagerError(error, ErrorCode.SendSuperseded) ? "superseded" : `failed: ${error}`),
      );
    // 200 setpoints at once: the first is being written, the other 199 collapse into one slot.
    const burst = Array.from({ length: 200 }, (_, i) =>
      outcome(transport.send(encode({ type: "SET", seq: 10 + i, vib: 5 * i, rot: 0 }))),
    );
    const results = await Promise.all(burst);
    expect(results.filter((r) => r === "sent")).toHaveLength(2);
    expect(results[0]).toBe("sent");
    expect(results[199]).toBe("sent");
    expect(results.filter((r) => r === "superseded")).toHaveLength(198);
    await reply(209);

    // A steady flood, one setpoint a millisecond for 300 ms: never more than one waits.
    let seq = 1000;
    let mostWaiting = 0;
    const flood: Promise<string>[] = [];
    for (const until = performance.now() + 300; performance.now() < until; ) {
      seq++;
      const line = encode({ type: "SET", seq, vib: 400, rot: seq % 2 ? 100 : -100 });
      flood.push(outcome(transport.send(line)));
      mostWaiting = Math.max(mostWaiting, transport.waiting);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const floodResults = await Promise.all(flood);
    await reply(seq);
    expect(mostWaiting).toBeLessThanOrEqual(1);
    expect(floodResults.every((r) => r === "sent" || r === "superseded")).toBe(true);
    expect(floodResults.at(-1)).toBe("sent");

    // An emergency stop behind a setpoint goes first and the outputs drop at once.
    const set = outcome(transport.send(encode({ type: "SET", seq: 3000, vib: 900, rot: 0 })));
    const waiting = outcome(transport.send(encode({ type: "SET", seq: 3001, vib: 950, rot: 0 })));
    const estop = outcome(transport.send(encode({ type: "ESTOP", seq: 3002 })));
    expect(await Promise.all([set, waiting, estop])).toEqual(["sent", "superseded", "sent"]);
    expect(await reply(3002)).toMatch(/^OK 3002\*/);
    const record = await device.record();
    expect(record.state).toBe("IDLE");
    expect(record.reason).toBe("ESTOP");
    expect(record.changes.at(-1)).toMatchObject({ vib: 0, rot: 0 });
  });

  it("streams a session to a massager without program playback, over HM-10 at MTU 23", async () => {
    const device = await massager({
      profile: "hm10",
      name: "StreamOnly",
      capabilities: { caps: Capability.Vibration | Capability.Rotation | Capability.Stream },
    });
    const program: WireProgram = {
      blocks: [
        {
          durationMs: 2000,
          step: 0,
          vib: [{ dtMs: 2000, value: 700, ease: "linear" }],
          rot: [{ dtMs: 2000, value: -400, ease: "linear" }],
        },
      ],
    };
    const controller = new Controller({ transport: () => new BleTransport(bleOptions({ target: "StreamOnly" })) });
    cleanups.push(() => controller.close());
    const info = await controller.connect();
    expect(info.program).toBe(false);
    await controller.play(sessionOf(program));
    const end = await controller.waitForEnd();
    expect(end.completed).toBe(true);
    const record = await device.record();
    expect(device.notices.some((m) => m.type === "state" && m.line.startsWith("ST STREAMING"))).toBe(true);
    // Streaming puts the host's clock in the loop: each level is the program's when the controller
    // sent it, so the device's levels trail the program by the setpoint period, the link and, on a
    // loaded machine, however late the host ran. That lag stays real time, hence the wide window;
    // the shape is exact: the ramps only ever move one way, and never past the program's levels.
    const deviations = deviationsFromProgram(record.changes, program, record.sessionStartMs, 1900, {
      lagMs: 1000,
      leadMs: 20,
      slack: 20,
    });
    expect(deviations).toEqual([]);
    const streamed = record.changes.filter((c) => c.tMs > record.sessionStartMs && (c.vib > 0 || c.rot < 0));
    const rising = streamed.slice(0, streamed.findIndex((c) => c.vib === Math.max(...streamed.map((d) => d.vib))) + 1);
    expect(
      rising.every((c, i) => i === 0 || (c.vib >= (rising[i - 1]?.vib ?? 0) && c.rot <= (rising[i - 1]?.rot ?? 0))),
    ).toBe(true);
    expect(Math.max(...record.changes.map((c) => c.vib))).toBeGreaterThan(550);
    expect(Math.max(...record.changes.map((c) => c.vib))).toBeLessThanOrEqual(700);
    expect(Math.min(...record.changes.map((c) => c.rot))).toBeGreaterThanOrEqual(-400);
  });
});
