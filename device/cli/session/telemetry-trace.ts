/**
 * `--trace` for a device other than the built-in simulator (serial, TCP, BLE, Firmata): the host
 * cannot see the motors, so the rows come from the device's own TM telemetry. They are samples,
 * one per telemetry period (a level held between two TMs shows once), written when the levels
 * changed, in device time from the session's start:
 *
 *   t_ms = tMs − (tMs − posMs of the session's first TM)   (mod 2³², the device clock wraps)
 *
 * The first row is `0,0,0`: a session starts from IDLE, whose outputs are off (PROTOCOL.md). The
 * simulator's own trace (TraceFile.follow on its recorder) is an exact change log instead.
 */
import { FULL_SCALE } from "../../../protocol/limits.ts";
import type { Controller } from "../../controller/controller.ts";
import type { Telemetry } from "../../controller/types.ts";
import type { TraceFile } from "../../simulator/trace-file.ts";

const DEVICE_CLOCK_WRAP = 4_294_967_296;

/** Writes the session's telemetry to `trace` from now on; returns the function that stops it. */
export function traceTelemetry(controller: Pick<Controller, "on" | "off">, trace: TraceFile): () => void {
  let originMs: number | undefined;
  let last = { vib: 0, rot: 0 };
  const onTelemetry = (sample: Telemetry) => {
    if (originMs === undefined) {
      originMs = sample.tMs - sample.positionMs;
      trace.write({ tMs: 0, vib: 0, rot: 0 });
    }
    // TM carries integer levels; the controller hands them on divided by FULL_SCALE.
    const vib = Math.round(sample.vibration * FULL_SCALE);
    const rot = Math.round(sample.rotation * FULL_SCALE);
    if (vib === last.vib && rot === last.rot) return;
    last = { vib, rot };
    const tMs = (((sample.tMs - originMs) % DEVICE_CLOCK_WRAP) + DEVICE_CLOCK_WRAP) % DEVICE_CLOCK_WRAP;
    trace.write({ tMs, vib, rot });
  };
  controller.on("telemetry", onTelemetry);
  return () => controller.off("telemetry", onTelemetry);
}
