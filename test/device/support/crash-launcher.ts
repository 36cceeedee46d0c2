/**
 * Runs the real `massager` command (runCli, device/cli/cli.ts, unchanged) with one more device
 * scheme passed in through its extension point, runCli's `extraDeviceSchemes`:
 *
 *   crashy:SPEC   SPEC's own transport (tcp:..., serial:...), wrapped so that, on the Nth TM
 *                 line it delivers, its line handler fails as a buggy plugin transport would:
 *                 a throw inside the handler (an uncaught exception) or a promise it forgets to
 *                 handle (an unhandled rejection).
 *
 * Usage: node --import tsx crash-launcher.ts exception|rejection N <massager arguments...>
 */
import { ForwardingTransport } from "../../support/forwarding-transport.ts";
import { runCliWithScheme } from "./cli-with-scheme.ts";

const [kind, count, ...args] = process.argv.slice(2);
if ((kind !== "exception" && kind !== "rejection") || !Number(count)) {
  process.stderr.write("usage: crash-launcher.ts exception|rejection N <massager arguments...>\n");
  process.exit(2);
}
const crashOnTm = Number(count);

class CrashingTransport extends ForwardingTransport {
  private telemetry = 0;

  override get description(): string {
    return `crashy:${this.inner.description}`;
  }

  protected override receive(line: string): void {
    super.receive(line);
    if (line.startsWith("TM ") && ++this.telemetry === crashOnTm) this.fail();
  }

  private fail(): void {
    const bug = new Error(`the crashy transport's line handler failed on TM ${crashOnTm}`);
    if (kind === "exception") throw bug;
    void Promise.reject(bug);
  }
}

await runCliWithScheme("crashy", (inner) => new CrashingTransport(inner), args);
