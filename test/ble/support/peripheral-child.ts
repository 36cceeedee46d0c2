/**
 * The simulated massager as a BLE peripheral in a child process (bleno keeps a timer alive
 * after stop(), so the test kills this process by its PID instead). Driven over IPC:
 *
 *   parent → child: { type: "disconnect" }   drop the host (bleno.disconnect)
 *                   { type: "record" }       ask for the applied-output log and device state
 *   child → parent: { type: "ready", address } | { type: "connect" | "disconnect", address }
 *                   { type: "state", line, tMs, lastFrameMs }  every ST frame the device sends
 *                   { type: "record", ... } | { type: "error", message }
 *
 * Times are the recorder's: ms since the device was made.
 *
 * Usage: node --import tsx peripheral-child.ts HCI_PORT nus|hm10 NAME [CAPABILITIES_JSON]
 */

import { RealClock } from "../../../device/clock.ts";
import type { DeviceCapabilities } from "../../../device/reference-device/capabilities.ts";
import { serveSimulatorOverBle } from "../../../device/simulator/ble-serve.ts";
import { SimulatedDevice } from "../../../device/simulator/simulated-device.ts";

export type ParentMessage = { type: "disconnect" } | { type: "record" };
export type ChildMessage =
  | { type: "ready"; address: string }
  | { type: "connect" | "disconnect"; address: string }
  /** `lastFrameMs`: when the device last read a valid frame (its watchdog counts from it), in the recorder's time. */
  | { type: "state"; line: string; tMs: number; lastFrameMs: number }
  | {
      type: "record";
      changes: { tMs: number; vib: number; rot: number }[];
      state: string;
      reason: string;
      /** When the current (or last) session started. */
      sessionStartMs: number;
      nowMs: number;
    }
  | { type: "error"; message: string };

const [port, profile, name, capabilitiesJson] = process.argv.slice(2);
const tell = (message: ChildMessage) => process.send?.(message);

if (port === undefined || (profile !== "nus" && profile !== "hm10")) {
  tell({ type: "error", message: "usage: peripheral-child.ts HCI_PORT nus|hm10 NAME [CAPABILITIES_JSON]" });
  process.exit(2);
}

// The parent going away (a crashed test run) must not leave this process behind.
process.on("disconnect", () => process.exit(0));

const clock = new RealClock();
const capabilities: Partial<DeviceCapabilities> = capabilitiesJson ? JSON.parse(capabilitiesJson) : {};
const device = new SimulatedDevice({ clock, capabilities }).start();
// The recorder's timebase is the device core's own origin (clock ms at the core's construction).
// Not a clock reading of our own taken before it: building the device can take a few ms on a busy
// machine, and that offset moved every session time against the recorded changes (7 ms seen).
const sinceOrigin = (clockMs: number) => Math.floor(clockMs) - device.core.originMs;
device.use({
  name: "report states",
  outbound: (line, next) => {
    if (line.startsWith("ST ")) {
      // lastFrameMs in the recorder's own timebase (the device core's origin), to compare with its changes.
      const lastFrameMs = sinceOrigin(device.core.state.lastFrameMs);
      tell({ type: "state", line, tMs: sinceOrigin(clock.now()), lastFrameMs });
    }
    next(line);
  },
});

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
      const { state, reason, sessionStartMs } = device.core.state;
      tell({
        type: "record",
        changes: device.recorder.changes,
        state,
        reason,
        sessionStartMs: sinceOrigin(sessionStartMs),
        nowMs: sinceOrigin(clock.now()),
      });
    }
  });
  tell({ type: "ready", address: peripheral.address });
} catch (error) {
  tell({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
