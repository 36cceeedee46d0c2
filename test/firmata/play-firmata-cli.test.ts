import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import { standardFirmataHex } from "../../device/flash/standard-firmata.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";
import { type ManagedProcess, stopAll } from "../support/managed-process.ts";
import { startMassager } from "../support/massager-cli.ts";
import { REPO_ROOT } from "../support/paths.ts";
import { sleep } from "../support/wait.ts";

const CACHE = join(REPO_ROOT, ".cache");

/** `massager play` on the board's port with the wiring the emulated board watches (D5, D6, D7). */
function play(ptyPath: string, minutes: string): ManagedProcess {
  const args = ["play", "scalp-circles", "--device", `firmata:${ptyPath}`, "--pins", "vib=5,rot=6,dir=7"];
  return startMassager([...args, "--minutes", minutes, "--json"], 60_000);
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
      await stopAll();
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
      expect(await run.exited).toBe(130);
      expect(run.stderr()).toContain("Firmata has no device watchdog");
      expect(run.stderr()).toContain("stopped; the motors are off");
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
      await sleep(1_500);
      // Nothing on the board can notice the host is gone: the last PWM stays.
      expect((board.duty(5) ?? 0) + (board.duty(6) ?? 0)).toBeGreaterThan(0);
    }, 40_000);
  },
);
