import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { standardFirmataHex } from "../../device/flash/standard-firmata.ts";
import { toolchainAvailable } from "../avr-sim/toolchain.ts";

const CLI = join(import.meta.dirname, "..", "..", "bin", "massager.js");
const CACHE = join(import.meta.dirname, "..", "..", ".cache");

interface Run {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const children = new Set<ChildProcess>();

function play(ptyPath: string, minutes: string): Run {
  const args = ["play", "scalp-circles", "--device", `firmata:${ptyPath}`, "--pins", "vib=5,rot=6,dir=7"];
  const child = spawn(process.execPath, [CLI, ...args, "--minutes", minutes, "--json"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.pid && process.kill(child.pid, "SIGKILL"), 60_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stderr });
    });
  });
  return { child, exited };
}

describe.runIf(toolchainAvailable(["gcc", "pkg-config"]))(
  "massager play --device firmata: (StandardFirmata in the emulated Uno)",
  () => {
    let firmataHex: string;
    let board: EmulatedBoard | undefined;

    beforeAll(async () => {
      firmataHex = await standardFirmataHex("uno", CACHE);
    }, 120_000);

    afterEach(async () => {
      for (const child of children) if (child.pid) process.kill(child.pid, "SIGKILL");
      await board?.stop();
      board = undefined;
    });

    const running = (b: EmulatedBoard) =>
      b.waitFor((e) => e.kind === "pwm" && (e.pin === 5 || e.pin === 6) && e.value > 0, 20_000);

    it("Ctrl-C stops the motors and exits 130, after saying there is no device watchdog", async () => {
      board = await startEmulatedBoard({ firmware: firmataHex, pins: [5, 6, 7] });
      const run = play(board.ptyPath, "1");
      await running(board);
      const since = board.events.length;
      run.child.kill("SIGINT");
      const result = await run.exited;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("Firmata has no device watchdog");
      expect(result.stderr).toContain("stopped; the motors are off");
      // The emergency stop reached the pins before the process exited.
      expect(board.duty(5)).toBe(0);
      expect(board.duty(6)).toBe(0);
      const zeroed = board.events.slice(since).filter((e) => e.kind === "pwm" && e.value === 0);
      expect(zeroed.length).toBeGreaterThan(0);
    }, 40_000);

    it("a killed host leaves the motors running: Firmata has no device watchdog (as documented)", async () => {
      board = await startEmulatedBoard({ firmware: firmataHex, pins: [5, 6, 7] });
      const run = play(board.ptyPath, "1");
      await running(board);
      run.child.kill("SIGKILL");
      await run.exited;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Nothing on the board can notice the host is gone: the last PWM stays.
      expect((board.duty(5) ?? 0) + (board.duty(6) ?? 0)).toBeGreaterThan(0);
    }, 40_000);
  },
);
