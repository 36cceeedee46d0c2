/** Starts peripheral-child.ts and talks to it: ready, connect/disconnect notices, record, drop. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DeviceCapabilities } from "../../../device/reference-device/capabilities.ts";
import { type ManagedProcess, spawnManaged } from "../../support/managed-process.ts";
import type { ChildMessage, ParentMessage } from "./peripheral-child.ts";

const here = dirname(fileURLToPath(import.meta.url));

export type RecordMessage = Extract<ChildMessage, { type: "record" }>;

export interface PeripheralProcess {
  readonly process: ManagedProcess;
  readonly address: string;
  /** Every notice received so far, in order. */
  readonly notices: ChildMessage[];
  /** Drops the connected host from the peripheral side (bleno.disconnect()). */
  dropHost(): void;
  record(): Promise<RecordMessage>;
  /** Waits for a notice matching `test`, seen already or still to come. */
  waitFor(test: (message: ChildMessage) => boolean, timeoutMs: number): Promise<ChildMessage>;
  stop(): Promise<void>;
}

export interface PeripheralSpec {
  /** The HCI UART of the peripheral's controller. */
  port: string;
  profile: "nus" | "hm10";
  name: string;
  capabilities?: Partial<DeviceCapabilities>;
  /** The process is killed after this long whatever happens. */
  timeoutMs: number;
}

export async function startPeripheral(spec: PeripheralSpec): Promise<PeripheralProcess> {
  const args = [join(here, "peripheral-child.ts"), spec.port, spec.profile, spec.name];
  if (spec.capabilities) args.push(JSON.stringify(spec.capabilities));
  const child = spawnManaged("peripheral", process.execPath, ["--import", "tsx", ...args], {
    timeoutMs: spec.timeoutMs,
    ipc: true,
  });
  const notices: ChildMessage[] = [];
  const waiters = new Set<(message: ChildMessage) => void>();
  child.child.on("message", (message: ChildMessage) => {
    notices.push(message);
    for (const waiter of [...waiters]) waiter(message);
  });
  const waitFor = (test: (message: ChildMessage) => boolean, ms: number) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const seen = notices.find(test);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`peripheral: no matching notice within ${ms} ms; output: ${child.output().trim()}`));
      }, ms);
      const waiter = (message: ChildMessage) => {
        if (!test(message)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(message);
      };
      waiters.add(waiter);
      void child.exited.then((how) => {
        if (!waiters.has(waiter)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        reject(new Error(`peripheral exited (${how}): ${child.output().trim()}`));
      });
    });
  const send = (message: ParentMessage) => child.child.send(message);
  try {
    const ready = await waitFor((m) => m.type === "ready" || m.type === "error", 15_000);
    if (ready.type !== "ready") throw new Error(`peripheral failed: ${"message" in ready ? ready.message : ""}`);
    return {
      process: child,
      address: ready.address,
      notices,
      dropHost: () => send({ type: "disconnect" }),
      async record() {
        const before = notices.length;
        send({ type: "record" });
        return (await waitFor((m) => m.type === "record" && notices.indexOf(m) >= before, 5000)) as RecordMessage;
      },
      waitFor,
      stop: async () => {
        await child.stop();
      },
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
