/** socat offering a pseudo-terminal: a serial port for tests, with whatever `peer` is at its other end. */
import { existsSync, realpathSync } from "node:fs";
import { type ManagedProcess, spawnManaged } from "./managed-process.ts";
import { until } from "./wait.ts";

export interface SocatPty {
  /** The pseudo-terminal's real path, e.g. /dev/pts/4. */
  readonly port: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts `socat PTY,raw,echo=0,link=LINK PEER` and resolves once the link exists. `peer` is
 * socat's other address, e.g. `EXEC:sleep 60` (a port nothing answers on) or `UNIX-CONNECT:PATH`.
 * `link` must be a fresh path; socat is killed after `timeoutMs` at the latest.
 */
export async function socatPty(link: string, peer: string, timeoutMs: number): Promise<SocatPty> {
  const socat = spawnManaged("socat", "socat", [`PTY,raw,echo=0,link=${link}`, peer], { timeoutMs });
  try {
    await until(
      () => existsSync(link),
      5000,
      () => `socat to create ${link} (socat said: ${socat.output().trim()})`,
      20,
    );
  } catch (error) {
    await socat.stop();
    throw error;
  }
  return {
    port: realpathSync(link),
    process: socat,
    stop: async () => {
      await socat.stop();
    },
  };
}
