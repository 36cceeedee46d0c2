/**
 * The simulated massager inside this process, for `--device sim`: a device on an in-memory
 * link, and a factory of fresh host-side transports to it (one per connection attempt).
 */
import type { Clock } from "../clock.ts";
import { createMemoryPair } from "../transport/memory.ts";
import type { Transport, TransportFactory } from "../transport/transport.ts";
import { SimulatedDevice, type SimulatedDeviceOptions } from "./simulated-device.ts";

export interface InProcessSimulator {
  device: SimulatedDevice;
  /** Each call links a fresh host-side transport to the device. */
  connect: TransportFactory;
}

export interface InProcessOptions extends SimulatedDeviceOptions {
  /** One-way latency of the in-memory link, ms. Default 0. */
  latencyMs?: number;
}

/** Makes and powers on a simulated device reachable through in-memory transports. */
export function createInProcessSimulator(options: InProcessOptions): InProcessSimulator {
  const device = new SimulatedDevice(options).start();
  const clock: Clock = options.clock;
  const connect = (): Transport => {
    const pair = createMemoryPair({ clock, latencyMs: options.latencyMs ?? 0, description: "sim" });
    // The device end is live at once; what it says before the host opens is lost, as on a serial port.
    void pair.device.open();
    device.attach(pair.device);
    return pair.host;
  };
  return { device, connect };
}
