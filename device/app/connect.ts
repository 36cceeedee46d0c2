/**
 * From a `--device` spec to a connected device (ConnectedDevice, connected-device.ts): the controller
 * over the transport the spec's scheme makes (device-schemes.ts). `sim` is the simulated massager in this process,
 * whose motors the app can read.
 */
import { FULL_SCALE } from "../../protocol/limits.ts";
import { type Clock, RealClock } from "../clock.ts";
import { type DeviceSchemes, defaultDeviceSchemes } from "../composition/device-schemes.ts";
import { deviceFromSpec } from "../composition/device-spec.ts";
import { Controller } from "../controller/controller.ts";
import type { ControllerOptions } from "../controller/options.ts";
import type { TransportFactory } from "../transport/transport.ts";
import type { ConnectedDevice, DeviceConnector } from "./connected-device.ts";

export interface ConnectorOptions {
  clock?: Clock;
  /** Controller options other than the transport and clock (telemetry period, timeouts). */
  controller?: Omit<ControllerOptions, "transport" | "clock">;
  /** The `--device` schemes. Default: defaultDeviceSchemes() (no --hci, no --pins). */
  schemes?: DeviceSchemes;
}

/** A connected controller as the app's ConnectedDevice; closing it runs `onClose` after the controller closed. */
export function connectedDevice(
  controller: Controller,
  description: string,
  extra: { motorLevels?: () => { vibration: number; rotation: number }; onClose?: () => void } = {},
): ConnectedDevice {
  return {
    controller,
    description,
    ...(extra.motorLevels ? { motorLevels: extra.motorLevels } : {}),
    close: async () => {
      try {
        await controller.close();
      } finally {
        extra.onClose?.();
      }
    },
  };
}

async function connectController(transport: TransportFactory, clock: Clock, options: ConnectorOptions) {
  const controller = new Controller({ ...options.controller, transport, clock });
  try {
    await controller.connect();
  } catch (error) {
    await controller.close();
    throw error;
  }
  return controller;
}

/**
 * The connector the app uses: any `--device` spec `options.schemes` knows (sim, serial:, tcp:,
 * ble:, firmata: with a pin map). For `sim`, the app can read the motors.
 */
export function createConnector(options: ConnectorOptions = {}): DeviceConnector {
  const clock = options.clock ?? new RealClock();
  const schemes = options.schemes ?? defaultDeviceSchemes();
  return async (spec) => {
    const target = deviceFromSpec(spec, { clock }, schemes);
    let controller: Controller;
    try {
      controller = await connectController(target.transport, clock, options);
    } catch (error) {
      target.dispose();
      throw error;
    }
    const device = target.simulator?.device;
    return connectedDevice(controller, device ? "Simulated massager" : target.description, {
      ...(device
        ? {
            motorLevels: () => {
              const applied = device.core.state.applied;
              return { vibration: applied.vib / FULL_SCALE, rotation: applied.rot / FULL_SCALE + 0 };
            },
          }
        : {}),
      onClose: () => target.dispose(),
    });
  };
}
