/** Every timeout and limit of the BLE transport, with units and defaults. */
import type { HciSpec } from "./hci-spec.ts";

export interface BleOptions {
  /** The controller noble drives. Default: the platform's own adapter. */
  hci: HciSpec;
  /** A massager's advertised name or its address; undefined: the first massager found. */
  target: string | undefined;
  /** How long the adapter may take to power on, ms. Default 4000. */
  poweredOnTimeoutMs: number;
  /** How long to look for the massager, ms. Default 10000 (`scan` uses its own --timeout). */
  scanTimeoutMs: number;
  /** How long connecting and discovering the bridge's characteristics may take, ms. Default 10000. */
  connectTimeoutMs: number;
  /**
   * Longest one acknowledged write may wait for the device, ms. Default 2000. A link that dies
   * without telling the host (it happens) shows up here, and is then treated as lost.
   */
  writeTimeoutMs: number;
  /** Most ordinary lines waiting to be written; stops and the latest setpoint always fit. Default 32. */
  maxPendingLines: number;
}

export const DEFAULT_BLE_OPTIONS: Omit<BleOptions, "hci" | "target"> = {
  poweredOnTimeoutMs: 4000,
  scanTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  writeTimeoutMs: 2000,
  maxPendingLines: 32,
};

/** The defaults with `overrides` applied. */
export function bleOptions(overrides: Partial<BleOptions> = {}): BleOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { hci: { kind: "default" }, target: undefined, ...DEFAULT_BLE_OPTIONS, ...defined };
}
