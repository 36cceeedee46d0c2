import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Suites that run an emulator paced to the wall clock: the emulated Uno (simavr, device/avr-sim)
 * or the BLE lab (btvirt + bleno + noble). Each keeps a core busy in child processes and holds
 * real-time links (pty, HCI UART), so two of them side by side, or one beside a CPU-bound suite,
 * starve each other on a 2-core machine. They are found by what they import, so a new suite of
 * that kind joins them without an edit here.
 */
const EMULATOR_MARKERS = [/avr-sim\/emulated-board/, /support\/massager-board/, /support\/ble-lab/];

function emulatorSuites(): string[] {
  return readdirSync("test", { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => join("test", file).replaceAll("\\", "/"))
    .filter((file) => EMULATOR_MARKERS.some((marker) => marker.test(readFileSync(file, "utf8"))));
}

const emulators = emulatorSuites();

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: emulators,
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: "emulators",
          include: emulators,
          // One file at a time, after the "unit" project is done (vitest runs a single-worker
          // project's files in a group of their own, last): an emulator never shares the two cores
          // with another emulator or with a CPU-bound suite (the fuzzer, the browser tests).
          fileParallelism: false,
        },
      },
    ],
  },
});
