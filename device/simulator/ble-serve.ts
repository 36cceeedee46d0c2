/**
 * The simulated massager reachable over BLE: the same SimulatedDevice as on a serial line or
 * TCP, attached to each host that connects through the bridge. When the host goes away the
 * device is detached and its watchdog stops the motors, exactly as with a real massager.
 */
import { DEFAULT_ATT_MTU, HM10_PROFILE, NUS_PROFILE } from "../../protocol/ble.ts";
import { BlePeripheral } from "../ble-peripheral/ble-peripheral.ts";
import type { HciSpec } from "../transport/ble/hci-spec.ts";
import type { SimulatedDevice } from "./simulated-device.ts";

export interface BleSimulatorOptions {
  device: SimulatedDevice;
  hci: HciSpec;
  /** HM-10 style (service FFE0, one characteristic FFE1, MTU kept at 23) instead of NUS. */
  hm10?: boolean;
  /** Advertised name. Default "Massager". */
  name?: string;
  /** Default 4000 ms. */
  poweredOnTimeoutMs?: number;
}

/** Advertises the device and attaches it to every host that connects; resolves once advertising. */
export async function serveSimulatorOverBle(options: BleSimulatorOptions): Promise<BlePeripheral> {
  const peripheral = await BlePeripheral.start({
    hci: options.hci,
    profile: options.hm10 ? HM10_PROFILE : NUS_PROFILE,
    name: options.name ?? "Massager",
    poweredOnTimeoutMs: options.poweredOnTimeoutMs ?? 4000,
    ...(options.hm10 ? { maxMtu: DEFAULT_ATT_MTU } : {}),
  });
  peripheral.on("connect", (link) => options.device.attach(link));
  return peripheral;
}
