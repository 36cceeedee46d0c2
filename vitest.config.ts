import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { EmulatorsApart } from "./test/support/emulators-apart.ts";

/**
 * Suites that run an emulator paced to the wall clock: the emulated Uno (simavr, device/avr-sim)
 * or the BLE lab (btvirt + bleno + noble). Each keeps a core busy in child processes and holds
 * real-time links (pty, HCI UART), so two of them side by side starve each other on a 2-core
 * machine. They are found by what they import, so a new suite of that kind joins them without an
 * edit here.
 */
const EMULATOR_MARKERS = [
  /avr-sim\/emulated-board/,
  /support\/massager-board/,
  /support\/ble-lab/,
  /standard-firmata-rig/,
];

function emulatorSuites(): string[] {
  const root = import.meta.dirname;
  return readdirSync(join(root, "test"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => join("test", file).replaceAll("\\", "/"))
    .filter((file) => EMULATOR_MARKERS.some((marker) => marker.test(readFileSync(join(root, file), "utf8"))));
}

const emulators = emulatorSuites();

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two workers for two cores. The emulator suites take one of them at a time: each waits for the
    // run's lock (test/support/emulator-lock.ts), and the file order keeps a unit suite, not another
    // emulator, on the other worker meanwhile (test/support/emulators-apart.ts).
    maxWorkers: 2,
    sequence: { sequencer: EmulatorsApart },
    // The run's id, which names its emulator lock (this file is read by the main vitest process).
    env: { MASSAGER_TEST_RUN: String(process.pid) },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: emulators },
      },
      {
        extends: true,
        // Flashing is among them: its reply timeouts read an answer that a stalled event loop
        // delayed before they fail (device/answer-timeout.ts), so it needs no core to itself.
        test: { name: "emulators", include: emulators, setupFiles: ["test/support/emulator-lock.ts"] },
      },
    ],
  },
});
