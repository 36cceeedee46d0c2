/**
 * The simulated massager as a BLE peripheral in a child process (bleno keeps a timer alive
 * after stop(), so the test kills this process by its PID instead). Driven over IPC:
 *
 *   parent → child: { type: "disconnect" }   drop the host (bleno.disconnect)
 *                   { type: "record" }       ask for the applied-output log and device state
 *   child → parent: { type: "ready", address } | { type: "connect" | "disconnect", address }
 *                   { type: "record", changes, state, reason } | { type: "error", message }
 *
 * Usage: node --import tsx peripheral-child.ts HCI_PORT nus|hm10 NAME
 */

import { serveSimulatorOverBle } from "../../../device/ble-peripheral/ble-simulator.ts";
import { RealClock } from "../../../device/clock.ts";
import { SimulatedDevice } from "../../../device/simulator/simulated-device.ts";

export type ParentMessage = { type: "disconnect" } | { type: "record" };
export type ChildMessage =
  | { type: "ready"; address: string }
  | { type: "connect" | "disconnect"; address: string }
  | {
      type: "record";
      changes: { tMs: number; vib: number; rot: number }[];
      state: string;
      reason: string;
      /** The recorder's time now, to relate the log to the present. */
      nowMs: number;
    }
  | { type: "error"; message: string };

const [port, profile, name] = process.argv.slice(2);
const tell = (message: ChildMessage) => process.send?.(message);

if (port === undefined || (profile !== "nus" && profile !== "hm10")) {
  tell({ type: "error", message: "usage: peripheral-child.ts HCI_PORT nus|hm10 NAME" });
  process.exit(2);
}

// The parent going away (a crashed test run) must not leave this process behind.
process.on("disconnect", () => process.exit(0));

const clock = new RealClock();
// The recorder's timebase: clock ms since the device was made.
const originMs = Math.floor(clock.now());
const device = new SimulatedDevice({ clock }).start();
try {
  const peripheral = await serveSimulatorOverBle({
    device,
    hci: { kind: "uart", port, baudRate: 1_000_000 },
    hm10: profile === "hm10",
    name: name ?? "Massager",
  });
  peripheral.on("connect", (_link, address) => tell({ type: "connect", address }));
  peripheral.on("disconnect", (address) => tell({ type: "disconnect", address }));
  process.on("message", (message: ParentMessage) => {
    if (message.type === "disconnect") peripheral.disconnect();
    if (message.type === "record") {
      const { state, reason } = device.core.state;
      tell({
        type: "record",
        changes: device.recorder.changes,
        state,
        reason,
        nowMs: Math.floor(clock.now()) - originMs,
      });
    }
  });
  tell({ type: "ready", address: peripheral.address });
} catch (error) {
  tell({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
