/**
 * Runs the real `massager` command with one more device scheme, `crashy-id:SPEC`: SPEC's own
 * transport, whose line handler forgets a failed promise (an unhandled rejection) when the
 * device's ID line arrives, that is while the controller is still connecting. (A synchronous
 * throw there would break the socket's line stream, and the connect would just time out.)
 *
 * Usage: node --import tsx crash-on-connect-launcher.ts <massager arguments...>
 */
import { deviceFromSpec, registerDeviceScheme } from "../../../device/transport/from-spec.ts";
import { ForwardingTransport } from "../../support/forwarding-transport.ts";

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

registerDeviceScheme("crashy-id", (rest, context) => {
  const target = deviceFromSpec(rest, context);
  return { ...target, scheme: "crashy-id", transport: () => new CrashOnIdTransport(target.transport()) };
});

process.argv = [process.argv[0] ?? "node", "massager", ...process.argv.slice(2)];
await import("../../../device/cli/main.ts");
