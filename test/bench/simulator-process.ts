/**
 * The simulated massager in a process of its own, for the controller benchmark: served on a
 * pseudo-terminal exactly as `massager simulate --pty` serves it (socat pair, serialport, real
 * clock), so the controller under test shares neither its process nor its event loop.
 *
 * It reports over the IPC channel (fork) what only the device can see, with times on the epoch
 * clock both processes share (performance.timeOrigin + performance.now()):
 *
 *   parent ──{ type: "arm-zero" }──► child   next change to zero ──► { type: "zero", atEpochMs, from }
 *   parent ──{ type: "record" }────► child   ──► { type: "record", sessionStartMs, changes } (device ms)
 *   parent ──{ type: "clock" }─────► child   ──► { type: "clock", epochMs }
 *   parent ──{ type: "arm-change" }► child   next change of any kind ──► { type: "change", atEpochMs, from, to }
 *   parent ──{ type: "arm-vib", vib }► child   first change to that vibration ──► { type: "vib", atEpochMs }
 *
 * Usage: node --import tsx test/bench/simulator-process.ts [--tick-ms N] [--slew-ms N] [--protocol 1.0|1.1]
 */
import { parseArgs } from "node:util";
import { hostOnPty } from "../../device/simulator/hosts.ts";
import { type OutputChange, OutputRecorder } from "../../device/simulator/recorder.ts";

export type ToSimulator =
  | { type: "arm-zero" }
  | { type: "arm-change" }
  | { type: "arm-vib"; vib: number }
  | { type: "record" }
  | { type: "clock" }
  | { type: "clear" };

export type FromSimulator =
  | { type: "ready"; path: string; tickMs: number }
  | { type: "zero"; atEpochMs: number; from: { vib: number; rot: number } }
  | { type: "record"; sessionStartMs: number; changes: OutputChange[] }
  | { type: "clock"; epochMs: number }
  | { type: "change"; atEpochMs: number; from: { vib: number; rot: number }; to: { vib: number; rot: number } }
  | { type: "vib"; atEpochMs: number }
  | { type: "failed"; message: string };

function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error("run me with fork(): I report over the IPC channel");
  const { values } = parseArgs({
    options: { "tick-ms": { type: "string" }, "slew-ms": { type: "string" }, protocol: { type: "string" } },
  });
  const protocol = values.protocol === "1.0" ? "1.0" : "1.1";
  const tickMs = Number(values["tick-ms"] ?? 5);
  const recorder = new OutputRecorder();
  let armed = false;
  let armedChange = false;
  let armedVib: number | undefined;
  let previous = { vib: 0, rot: 0 };
  recorder.onChange((change) => {
    if (armed && change.vib === 0 && change.rot === 0) {
      armed = false;
      send({ type: "zero", atEpochMs: epochMs(), from: previous } satisfies FromSimulator);
    }
    if (armedChange) {
      armedChange = false;
      const to = { vib: change.vib, rot: change.rot };
      send({ type: "change", atEpochMs: epochMs(), from: previous, to } satisfies FromSimulator);
    }
    if (armedVib !== undefined && change.vib === armedVib) {
      armedVib = undefined;
      send({ type: "vib", atEpochMs: epochMs() } satisfies FromSimulator);
    }
    previous = { vib: change.vib, rot: change.rot };
  });
  const host = await hostOnPty({
    sinks: [recorder],
    tickMs,
    protocol,
    ...(values["slew-ms"] !== undefined ? { capabilities: { slewMs: Number(values["slew-ms"]) } } : {}),
    onFailure: (error) => {
      send({ type: "failed", message: error.message } satisfies FromSimulator);
      process.exit(1);
    },
  });
  const core = host.device.core;
  process.on("message", (message: ToSimulator) => {
    switch (message.type) {
      case "arm-zero":
        armed = true;
        return;
      case "arm-change":
        armedChange = true;
        return;
      case "arm-vib":
        armedVib = message.vib;
        return;
      case "clock":
        send({ type: "clock", epochMs: epochMs() } satisfies FromSimulator);
        return;
      case "clear":
        recorder.changes.length = 0;
        return;
      case "record":
        send({
          type: "record",
          sessionStartMs: core.state.sessionStartMs - core.originMs,
          changes: recorder.changes,
        } satisfies FromSimulator);
        return;
    }
  });
  // The parent going away (its end of the IPC channel closes) ends this process, motors off.
  process.once("disconnect", () => {
    void host.close().finally(() => process.exit(0));
  });
  send({ type: "ready", path: host.address, tickMs } satisfies FromSimulator);
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator process: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
