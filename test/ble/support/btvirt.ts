/**
 * BlueZ's btvirt, fetched and started for the BLE suites.
 *
 *   btvirt -s -l0  ── /tmp/bt-server-le ──┬── socat ── PTY A ── HCI UART ── bleno (the massager)
 *   (LD_PRELOAD af-alg-shim.so)           └── socat ── PTY B ── HCI UART ── noble (the controller)
 *
 * Every connection to /tmp/bt-server-le is a new emulated LE controller, and btvirt's
 * controllers hear each other's advertisements and connect to each other.
 *
 * The binary comes from Debian's bluez-test-tools, taken with `apt-get download` and
 * `dpkg-deb -x` into the gitignored .cache/ble (no bluez install, no daemon). btvirt's socket
 * paths are fixed, so a lock file keeps to one btvirt at a time across test files and the bench.
 */
import { execFile } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ManagedProcess, spawnManaged } from "../../support/managed-process.ts";
import { acquirePidLock } from "../../support/pid-lock.ts";
import { until } from "../../support/wait.ts";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");

export const BLE_CACHE = join(repoRoot, ".cache/ble");
export const BTVIRT_LE_SOCKET = "/tmp/bt-server-le";
const SERVER_SOCKETS = ["le", "bredr", "bredrle", "amp", "mon"].map((kind) => `/tmp/bt-server-${kind}`);
const LOCK_PATH = "/tmp/massager-btvirt.lock";

export interface BleTools {
  btvirt: string;
  shim: string;
}

/** Fetches btvirt and builds the AF_ALG shim once; later calls reuse the cache. Throws naming what is missing. */
export async function ensureBleTools(): Promise<BleTools> {
  await mkdir(BLE_CACHE, { recursive: true });
  const btvirt = join(BLE_CACHE, "root/usr/bin/btvirt");
  if (!existsSync(btvirt)) await fetchBtvirt();
  const shimSource = join(here, "af-alg-shim.c");
  const shim = join(BLE_CACHE, "af-alg-shim.so");
  if (!existsSync(shim) || statSync(shim).mtimeMs < statSync(shimSource).mtimeMs) {
    await tool("gcc", ["-shared", "-fPIC", "-O2", "-o", shim, shimSource, "-ldl"], "building the AF_ALG shim");
  }
  return { btvirt, shim };
}

async function fetchBtvirt(): Promise<void> {
  for (const name of await readdir(BLE_CACHE)) {
    if (name.endsWith(".deb")) rmSync(join(BLE_CACHE, name));
  }
  await tool(
    "apt-get",
    ["download", "bluez-test-tools"],
    "downloading bluez-test-tools (needs apt lists: apt-get update)",
    {
      cwd: BLE_CACHE,
    },
  );
  const deb = (await readdir(BLE_CACHE)).find((name) => name.startsWith("bluez-test-tools") && name.endsWith(".deb"));
  if (deb === undefined) throw new Error(`apt-get download left no bluez-test-tools .deb in ${BLE_CACHE}`);
  await tool("dpkg-deb", ["-x", join(BLE_CACHE, deb), join(BLE_CACHE, "root")], "unpacking bluez-test-tools");
  rmSync(join(BLE_CACHE, deb));
}

async function tool(command: string, args: string[], what: string, options: { cwd?: string } = {}): Promise<void> {
  try {
    await run(command, args, { timeout: 120_000, ...options });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`BLE test setup failed while ${what}: ${detail}`);
  }
}

export interface Btvirt {
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts `btvirt -s -l0` under the shim, once the lock is ours; resolves when its LE socket accepts. */
export async function startBtvirt(options: { timeoutMs: number; lockWaitMs?: number }): Promise<Btvirt> {
  const tools = await ensureBleTools();
  const release = await acquirePidLock(LOCK_PATH, options.lockWaitMs ?? 120_000, "btvirt");
  try {
    for (const path of SERVER_SOCKETS) rmSync(path, { force: true });
    const btvirt = spawnManaged("btvirt", tools.btvirt, ["-s", "-l0"], {
      timeoutMs: options.timeoutMs,
      env: { ...process.env, LD_PRELOAD: tools.shim },
    });
    try {
      await until(
        () => canConnect(BTVIRT_LE_SOCKET),
        5000,
        () => `btvirt to open ${BTVIRT_LE_SOCKET} (it said: ${btvirt.output().trim()})`,
        50,
      );
    } catch (error) {
      await btvirt.stop();
      throw error;
    }
    return {
      process: btvirt,
      async stop() {
        await btvirt.stop();
        for (const path of SERVER_SOCKETS) rmSync(path, { force: true });
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

function canConnect(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolveProbe) => {
    const socket = connect(path);
    socket.once("connect", () => {
      // A probe connection is a controller btvirt creates and drops again: harmless.
      socket.destroy();
      resolveProbe(true);
    });
    socket.once("error", () => resolveProbe(false));
  });
}
