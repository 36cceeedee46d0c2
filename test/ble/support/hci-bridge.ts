/**
 * One emulated controller of btvirt, reachable as an HCI UART: socat connects to btvirt's LE
 * socket (which creates a controller) and offers the other end as a pseudo-terminal that
 * noble or bleno open with their UART HCI driver.
 */
import { existsSync, realpathSync } from "node:fs";
import { BTVIRT_LE_SOCKET, waitFor } from "./btvirt.ts";
import { type ManagedProcess, spawnManaged } from "./managed-process.ts";

export interface HciBridge {
  /** The pseudo-terminal, e.g. /dev/pts/4: what `--hci uart:PATH` names. */
  readonly port: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** Bridges a new btvirt controller to a PTY; `linkPath` is a fresh path for socat's symlink. */
export async function bridgeController(linkPath: string, timeoutMs: number): Promise<HciBridge> {
  const socat = spawnManaged(
    "socat",
    "socat",
    [`UNIX-CONNECT:${BTVIRT_LE_SOCKET}`, `PTY,raw,echo=0,link=${linkPath}`],
    { timeoutMs },
  );
  try {
    await waitFor(
      () => existsSync(linkPath),
      5000,
      () => `socat did not create ${linkPath}`,
      socat,
    );
  } catch (error) {
    await socat.stop();
    throw error;
  }
  return { port: realpathSync(linkPath), process: socat, stop: () => socat.stop() };
}
