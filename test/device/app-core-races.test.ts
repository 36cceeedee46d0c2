/**
 * Starts, stops and connects fired together at the app core (two phones, a double tap), for each
 * default device kind: the simulator in this process, a simulator on TCP and one on a
 * pseudo-terminal (serial). After every seeded try, once the device has settled, the status must
 * say what the motors do: no session ⇔ the device idle with its outputs at zero; a session ⇔ the
 * device playing it; never more than one open link. Then `massager serve` with the same races
 * and SIGINT must exit within 2 s with the outputs at zero.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppCore } from "../../device/app/app-core.ts";
import { createConnector } from "../../device/app/connect.ts";
import type { DeviceConnector } from "../../device/app/connected-device.ts";
import type { AppStatus } from "../../device/app/contract.ts";
import { type HostedSimulators, hostedSimulators } from "../support/hosted-simulators.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { startServe } from "../support/serve-process.ts";
import { sleep, until } from "../support/wait.ts";

const TRIES = 50;
const SEED = 0x5eed13;

type Op = "start" | "stop" | "estop" | "connect";
const OPS: Op[] = ["start", "start", "start", "stop", "estop", "connect"];

interface Observed {
  /** The device's own state and applied outputs (read from the simulator, not from the controller). */
  device(): { playing: boolean; idle: boolean; vibration: number; rotation: number };
}

const hosts: HostedSimulators = hostedSimulators();
const dirs: string[] = [];

afterAll(async () => {
  await hosts.closeAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

/** A connector that counts the links open at once. */
function counting(base: DeviceConnector) {
  let open = 0;
  let most = 0;
  const connect: DeviceConnector = async (spec) => {
    const link = await base(spec);
    open++;
    most = Math.max(most, open);
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        open--;
      }
      await link.close();
    };
    return new Proxy(link, { get: (target, key) => (key === "close" ? close : Reflect.get(target, key)) });
  };
  return { connect, open: () => open, most: () => most };
}

async function coreFor(spec: string, connector: DeviceConnector) {
  const dir = await mkdtemp(join(tmpdir(), "massager-races-"));
  dirs.push(dir);
  const core = new AppCore({
    dataDir: dir,
    connect: connector,
    listDevices: async () => ({ choices: [], problems: [] }),
  });
  await core.init();
  await core.saveSettings({ ...(await core.settings.get()), defaultDevice: spec });
  return core;
}

async function race(kind: string, spec: string, observed: (core: AppCore) => Observed): Promise<void> {
  const links = counting(createConnector());
  const core = await coreFor(spec, links.connect);
  const device = observed(core);
  // Every end the core reported as an error, with its message: the failure says what went wrong.
  const errors: string[] = [];
  core.on("event", (event) => {
    if (event.type === "status" && event.status.lastEnd?.reason === "ERROR") {
      const text = JSON.stringify(event.status.lastEnd.error);
      if (errors.at(-1) !== text) errors.push(text);
    }
  });
  const next = seededRandom(SEED + kind.length);
  const request = { sourceId: "scalp-circles", minutes: 2, intensity: 60 };
  try {
    for (let attempt = 0; attempt < TRIES; attempt++) {
      const count = 2 + Math.floor(next() * 3);
      const ops = Array.from({ length: count }, () => OPS[Math.floor(next() * OPS.length)] as Op);
      const calls = ops.map(async (op) => {
        await sleep(Math.floor(next() * 15));
        if (op === "start") return core.start(request);
        if (op === "stop") return core.stop();
        if (op === "estop") return core.emergencyStop();
        return core.connect(spec);
      });
      const outcomes = await Promise.allSettled(calls);
      const where = () =>
        `${kind} try ${attempt} (${ops.join(", ")}): status ${JSON.stringify(core.getStatus().session?.status)} device ${JSON.stringify(device.device())} ${outcomes.map((o) => o.status).join(",")}`;
      const starts = outcomes.filter((outcome, index) => ops[index] === "start" && outcome.status === "fulfilled");
      // Without a stop among them, two starts are one start and one refusal.
      if (!ops.includes("stop") && !ops.includes("estop")) expect(starts.length, where()).toBeLessThanOrEqual(1);
      // Settled: the status and the device's own state agree.
      await until(
        () => {
          const now = device.device();
          const session = core.getStatus().session;
          if (session === undefined) return now.idle && now.vibration === 0 && now.rotation === 0;
          return session.status === "playing" && now.playing;
        },
        8000,
        where,
      );
      expect(links.open(), where()).toBeLessThanOrEqual(1);
      if (core.getStatus().session) {
        await core.emergencyStop();
        await until(() => core.getStatus().session === undefined && device.device().idle, 8000, where);
      }
    }
    expect(links.most()).toBe(1);
    const history = await core.history.list();
    expect(
      history.filter((entry) => entry.endReason === "ERROR"),
      errors.join("; "),
    ).toEqual([]);
  } finally {
    await core.close();
  }
}

describe("concurrent starts, stops and connects leave one owner and a true status", () => {
  it(`the simulator in the app (${TRIES} seeded tries)`, async () => {
    await race("sim", "sim", (core) => ({
      device: () => {
        const status = core.getStatus().device;
        const motors = status.motors ?? { vibration: 0, rotation: 0 };
        const state = status.state;
        return {
          playing: state === "PLAYING",
          idle: state === undefined || state === "IDLE",
          vibration: motors.vibration,
          rotation: motors.rotation,
        };
      },
    }));
  }, 300_000);

  for (const kind of ["tcp", "serial"] as const) {
    it(`a ${kind} device (${TRIES} seeded tries)`, async () => {
      const { host } = kind === "tcp" ? await hosts.tcp(0) : await hosts.pty();
      await race(kind, host.spec, () => ({
        device: () => {
          const state = host.device.core.state;
          return {
            playing: state.state === "PLAYING",
            idle: state.state === "IDLE",
            vibration: state.applied.vib,
            rotation: state.applied.rot,
          };
        },
      }));
    }, 300_000);
  }
});

describe("massager serve: concurrent starts, then SIGINT", () => {
  for (const kind of ["tcp", "serial"] as const) {
    it(`exits within 2 s with a ${kind} device's outputs at zero`, async () => {
      const { host } = kind === "tcp" ? await hosts.tcp(0) : await hosts.pty();
      const dir = await mkdtemp(join(tmpdir(), "massager-races-serve-"));
      dirs.push(dir);
      const serve = await startServe(["--device", host.spec, "--data-dir", dir]);
      const call = (method: string, args: unknown[]) =>
        fetch(`${serve.origin}/api/${method}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${serve.token}`, "Content-Type": "application/json" },
          body: JSON.stringify(args),
        }).then((response) => response.status);
      const request = { sourceId: "scalp-circles", minutes: 2, intensity: 60 };
      const statuses = await Promise.all([call("startSession", [request]), call("startSession", [request])]);
      expect(statuses.sort(), serve.output()).toEqual([200, 409]);
      await until(
        () => host.device.core.state.applied.vib > 0,
        10_000,
        () => "the motors to run",
      );
      const sent = Date.now();
      const status = await serve.stop();
      const tookMs = Date.now() - sent;
      expect(status, serve.output()).toBe(130);
      expect(tookMs, serve.output()).toBeLessThan(2000);
      expect(serve.output()).toContain("the motors are off");
      await until(
        () => host.device.core.state.applied.vib === 0 && host.device.core.state.applied.rot === 0,
        1000,
        () => "the outputs at zero",
      );
    }, 120_000);
  }
});

describe("massager serve with no device connected yet (the default, the simulator)", () => {
  it("two starts together make one session on one simulator, and SIGINT exits within 2 s", async () => {
    const dir = await mkdtemp(join(tmpdir(), "massager-races-serve-"));
    dirs.push(dir);
    const serve = await startServe(["--data-dir", dir]);
    const call = (method: string, args: unknown[]) =>
      fetch(`${serve.origin}/api/${method}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${serve.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(args),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { result?: AppStatus },
      }));
    const request = { sourceId: "scalp-circles", minutes: 2, intensity: 60 };
    const replies = await Promise.all([call("startSession", [request]), call("startSession", [request])]);
    expect(replies.map((reply) => reply.status).sort(), serve.output()).toEqual([200, 409]);
    // The status knows the session, and the simulator it plays on is the one the app reads.
    await until(
      async () => {
        const status = (await call("getStatus", [])).body.result;
        return status?.session?.status === "playing" && (status.device.motors?.vibration ?? 0) > 0;
      },
      10_000,
      () => "the session to play",
    );
    const sent = Date.now();
    const status = await serve.stop();
    expect(status, serve.output()).toBe(130);
    expect(Date.now() - sent, serve.output()).toBeLessThan(2000);
    expect(serve.output()).toContain("the motors are off");
  }, 120_000);
});
