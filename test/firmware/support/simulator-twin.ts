/**
 * Runs the same DeviceScript through the TypeScript simulator's device core (device/simulator/)
 * on a virtual clock ticking every millisecond, as the firmware's loop does, so the two
 * implementations of PROTOCOL.md can be compared frame for frame and level for level.
 * `tickMs` makes the control loop's timer coarser (the core still acts at exact times).
 */
import { VirtualClock } from "../../../device/clock.ts";
import { DeviceCore } from "../../../device/reference-device/device-core.ts";
import { LineFramer } from "../../../protocol/framing.ts";
import type { DeviceRun, DeviceScript } from "./native-driver.ts";

/** Plays `script` (send/bytes/advance only) against the simulator's DeviceCore. */
export async function runSimulator(
  script: DeviceScript,
  options: { tickMs?: number; protocol?: "1.0" | "1.1" } = {},
): Promise<DeviceRun> {
  const clock = new VirtualClock(0);
  const run: DeviceRun = { frames: [], outputs: [], results: [] };
  const core = new DeviceCore({
    clock,
    tickMs: options.tickMs ?? 1,
    protocol: options.protocol ?? "1.1",
    send: (line) => run.frames.push({ tMs: clock.now(), line }),
    sink: { apply: (levels, tMs) => run.outputs.push({ tMs, vib: levels.vib, rot: levels.rot }) },
  });
  core.boot();
  // Bytes as a serial device end reads them: the stop byte at once, lines at their newline,
  // handed over as one char per byte (latin1), as the serial, TCP and BLE transports do.
  const framer = new LineFramer({ line: (line) => core.receive(line), stop: () => core.stopByte() });
  for (const command of script.commands) {
    const [kind, argument = ""] = command.split(" ");
    if (kind === "A") {
      await clock.advance(Number(argument));
    } else if (kind === "F") {
      framer.push(Buffer.from(argument, "hex").toString("latin1"));
    } else {
      throw new Error(`the simulator twin cannot run "${command}"`);
    }
  }
  const result = { frames: [...run.frames], outputs: [...run.outputs], results: [] };
  core.shutdown();
  return result;
}
