/**
 * The whole emulated BLE setup for a suite: btvirt plus one HCI UART for the massager
 * (bleno) and one for the controller (noble). stop() kills every process by its PID.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Btvirt, startBtvirt } from "./btvirt.ts";
import { bridgeController, type HciBridge } from "./hci-bridge.ts";

export interface BleLab {
  /** HCI UART for the peripheral side (bleno). */
  readonly peripheralPort: string;
  /** HCI UART for the central side (noble). */
  readonly centralPort: string;
  stop(): Promise<void>;
}

/** Starts btvirt and two bridged controllers; every process dies after `timeoutMs` at the latest. */
export async function startBleLab(timeoutMs: number): Promise<BleLab> {
  const dir = mkdtempSync(join(tmpdir(), "massager-ble-"));
  const bridges: HciBridge[] = [];
  let btvirt: Btvirt | undefined;
  const stop = async () => {
    await Promise.all(bridges.map((bridge) => bridge.stop()));
    await btvirt?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    btvirt = await startBtvirt({ timeoutMs });
    bridges.push(await bridgeController(join(dir, "hci-peripheral"), timeoutMs));
    bridges.push(await bridgeController(join(dir, "hci-central"), timeoutMs));
    const [peripheral, central] = bridges as [HciBridge, HciBridge];
    return { peripheralPort: peripheral.port, centralPort: central.port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
