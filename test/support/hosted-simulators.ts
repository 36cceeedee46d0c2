/**
 * Simulated massagers served to other processes for one suite (on TCP, or on a socat
 * pseudo-terminal), each with a recorder of what it applied. closeAll() is the suite's teardown:
 * it stops every device (outputs to zero) and kills any socat behind them by PID.
 */
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HostedSimulator, type HostOptions, hostOnPty, hostOnTcp } from "../../device/simulator/hosts.ts";
import { OutputRecorder } from "../../device/simulator/recorder.ts";
import { killPid } from "./managed-process.ts";

export interface RecordedHost {
  host: HostedSimulator;
  /** Every change the device applied, and its current levels. */
  recorder: OutputRecorder;
}

export interface HostedSimulators {
  /** A simulator on 127.0.0.1:`port` (0: any free port). */
  tcp(port?: number, options?: HostOptions): Promise<RecordedHost>;
  /** A simulator on a new pseudo-terminal pair (needs socat). */
  pty(options?: HostOptions): Promise<RecordedHost>;
  /** Stops one simulator before the suite ends (the device dies mid-session). */
  close(host: HostedSimulator): Promise<void>;
  closeAll(): Promise<void>;
}

let ptyCount = 0;

export function hostedSimulators(): HostedSimulators {
  const hosts = new Set<HostedSimulator>();
  const record = (host: HostedSimulator, recorder: OutputRecorder): RecordedHost => {
    hosts.add(host);
    return { host, recorder };
  };
  const close = async (host: HostedSimulator) => {
    if (!hosts.delete(host)) return;
    await host.close();
    killPid(host.socatPid);
  };
  return {
    async tcp(port = 0, options = {}) {
      const recorder = new OutputRecorder();
      return record(await hostOnTcp(port, { ...options, sinks: [recorder, ...(options.sinks ?? [])] }), recorder);
    },
    async pty(options = {}) {
      const recorder = new OutputRecorder();
      // A path no other pair ever gets: a client of another suite retrying its old /dev/pts/N cannot take this one.
      const clientLink = join(tmpdir(), `massager-pty-${process.pid}-${++ptyCount}-${randomUUID().slice(0, 8)}`);
      return record(await hostOnPty({ clientLink, ...options, sinks: [recorder, ...(options.sinks ?? [])] }), recorder);
    },
    close,
    async closeAll() {
      for (const host of [...hosts]) await close(host);
    },
  };
}
