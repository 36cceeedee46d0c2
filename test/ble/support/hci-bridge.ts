/**
 * One emulated controller of btvirt, reachable as an HCI UART: socat connects to btvirt's LE
 * socket (which creates a controller) and offers the other end as a pseudo-terminal that
 * noble or bleno open with their UART HCI driver.
 */
import { type SocatPty, socatPty } from "../../support/socat.ts";
import { BTVIRT_LE_SOCKET } from "./btvirt.ts";

/** `port` is the pseudo-terminal, e.g. /dev/pts/4: what `--hci uart:PATH` names. */
export type HciBridge = SocatPty;

/** Bridges a new btvirt controller to a PTY; `linkPath` is a fresh path for socat's symlink. */
export function bridgeController(linkPath: string, timeoutMs: number): Promise<HciBridge> {
  return socatPty(linkPath, `UNIX-CONNECT:${BTVIRT_LE_SOCKET}`, timeoutMs);
}
