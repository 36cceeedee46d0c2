/**
 * The simulated massager served over BLE for `massager simulate --ble`: the same device the
 * pty and TCP hosts serve, behind a bleno peripheral.
 */
import { RealClock } from "../clock.ts";
import type { HciSpec } from "../transport/ble/hci-spec.ts";
import { serveSimulatorOverBle } from "./ble-serve.ts";
import type { HostedSimulator, HostOptions } from "./hosts.ts";
import { SimulatedDevice } from "./simulated-device.ts";

export interface BleHostOptions extends HostOptions {
  hci: HciSpec;
  hm10?: boolean;
  /** Advertised name. Default "Massager". */
  name?: string;
}

/**
 * Advertises a simulated massager. bleno keeps a poll timer running even after stop(), so
 * the process that calls this must end with process.exit() (the CLI does).
 */
export async function hostOnBle(options: BleHostOptions): Promise<HostedSimulator> {
  const { hci, hm10, name = "Massager", onFailure: _, ...deviceOptions } = options;
  const device = new SimulatedDevice({ clock: new RealClock(), keepRecord: false, ...deviceOptions }).start();
  try {
    const peripheral = await serveSimulatorOverBle({ device, hci, hm10: hm10 ?? false, name });
    return {
      device,
      address: `${name} (${peripheral.address}, ${hm10 ? "HM-10 FFE0" : "Nordic UART Service"})`,
      spec: `ble:${name}`,
      close: async () => {
        device.stop();
        peripheral.stop();
      },
    };
  } catch (error) {
    device.stop();
    throw error;
  }
}
