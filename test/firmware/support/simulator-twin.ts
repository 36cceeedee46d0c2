/**
 * Runs the same DeviceScript through the TypeScript simulator's device core (device/simulator/)
 * on a virtual clock ticking every millisecond, as the firmware's loop does, so the two
 * implementations of PROTOCOL.md can be compared frame for frame and level for level.
 */
import { VirtualClock } from "../../../device/clock.ts";
import { DeviceCore } from "../../../device/simulator/device-core.ts";
import type { DeviceRun, DeviceScript } from "./native-driver.ts";

/** Plays `script` (send/bytes/advance only) against the simulator's DeviceCore. */
export async function runSimulator(script: DeviceScript): Promise<DeviceRun> {
  const clock = new VirtualClock(0);
  const run: DeviceRun = { frames: [], outputs: [], results: [] };
  const core = new DeviceCore({
    clock,
    tickMs: 1,
    send: (line) => run.frames.push({ tMs: clock.now(), line }),
    sink: { apply: (levels, tMs) => run.outputs.push({ tMs, vib: levels.vib, rot: levels.rot }) },
  });
  core.boot();
  // A serial link delivers whole lines: bytes wait for their newline, as a ReadlineParser does.
  let partial = Buffer.alloc(0);
  for (const command of script.commands) {
    const [kind, argument = ""] = command.split(" ");
    if (kind === "A") {
      await clock.advance(Number(argument));
    } else if (kind === "F") {
      partial = Buffer.concat([partial, Buffer.from(argument, "hex")]);
      for (let end = partial.indexOf(10); end >= 0; end = partial.indexOf(10)) {
        // As the serial, TCP and BLE transports hand lines over: one char per byte.
        core.receive(partial.subarray(0, end).toString("latin1"));
        partial = partial.subarray(end + 1);
      }
    } else {
      throw new Error(`the simulator twin cannot run "${command}"`);
    }
  }
  const result = { frames: [...run.frames], outputs: [...run.outputs], results: [] };
  core.shutdown();
  return result;
}
