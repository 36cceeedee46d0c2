/**
 * Runs the real `massager` command (device/cli/main.ts, unchanged) with one more device scheme
 * registered through its documented extension point, registerDeviceScheme():
 *
 *   crashy:SPEC   SPEC's own transport (tcp:..., serial:...), wrapped so that, on the Nth TM
 *                 line it delivers, its line handler fails as a buggy plugin transport would:
 *                 a throw inside the handler (an uncaught exception) or a promise it forgets to
 *                 handle (an unhandled rejection).
 *
 * Usage: node --import tsx crash-launcher.ts exception|rejection N <massager arguments...>
 */
import { EventEmitter } from "node:events";
import { deviceFromSpec, registerDeviceScheme } from "../../../device/transport/from-spec.ts";
import type { Transport, TransportEvents } from "../../../device/transport/transport.ts";
import type { MassagerError } from "../../../protocol/errors.ts";

const [kind, count, ...args] = process.argv.slice(2);
if ((kind !== "exception" && kind !== "rejection") || !Number(count)) {
  process.stderr.write("usage: crash-launcher.ts exception|rejection N <massager arguments...>\n");
  process.exit(2);
}
const crashOnTm = Number(count);

class CrashingTransport extends EventEmitter<TransportEvents> implements Transport {
  private telemetry = 0;

  constructor(private readonly inner: Transport) {
    super();
    inner.on("line", (line) => {
      this.emit("line", line);
      if (line.startsWith("TM ") && ++this.telemetry === crashOnTm) this.fail();
    });
    inner.on("disconnect", (reason: MassagerError) => this.emit("disconnect", reason));
  }

  get description(): string {
    return `crashy:${this.inner.description}`;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  send(line: string): Promise<void> {
    return this.inner.send(line);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private fail(): void {
    const bug = new Error(`the crashy transport's line handler failed on TM ${crashOnTm}`);
    if (kind === "exception") throw bug;
    void Promise.reject(bug);
  }
}

registerDeviceScheme("crashy", (rest, context) => {
  const target = deviceFromSpec(rest, context);
  return { ...target, scheme: "crashy", transport: () => new CrashingTransport(target.transport()) };
});

process.argv = [process.argv[0] ?? "node", "massager", ...args];
await import("../../../device/cli/main.ts");
