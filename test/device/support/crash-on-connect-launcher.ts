/**
 * Runs the real `massager` command with one more device scheme, `crashy-id:SPEC`: SPEC's own
 * transport, whose line handler forgets a failed promise (an unhandled rejection) when the
 * device's ID line arrives, that is while the controller is still connecting. (A synchronous
 * throw there would break the socket's line stream, and the connect would just time out.)
 *
 * Usage: node --import tsx crash-on-connect-launcher.ts <massager arguments...>
 */
import { ForwardingTransport } from "../../support/forwarding-transport.ts";
import { runCliWithScheme } from "./cli-with-scheme.ts";

class CrashOnIdTransport extends ForwardingTransport {
  private crashed = false;

  override get description(): string {
    return `crashy-id:${this.inner.description}`;
  }

  protected override receive(line: string): void {
    super.receive(line);
    if (line.startsWith("ID ") && !this.crashed) {
      this.crashed = true;
      void Promise.reject(new Error("the crashy transport's line handler failed on the ID line"));
    }
  }
}

await runCliWithScheme("crashy-id", (inner) => new CrashOnIdTransport(inner), process.argv.slice(2));
