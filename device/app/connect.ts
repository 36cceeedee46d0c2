/**
 * From a `--device` spec to a connected DeviceLink: the controller over the transport the
 * spec's scheme makes (device-schemes.ts). `sim` is the simulated massager in this process,
 * whose motors the app can read.
 */
import type { EventEmitter } from "node:events";
import { LEVEL_SCALE } from "../../protocol/limits.ts";
import { type Clock, RealClock } from "../clock.ts";
import { type DeviceSchemes, defaultDeviceSchemes } from "../composition/device-schemes.ts";
import { deviceFromSpec } from "../composition/device-spec.ts";
import { Controller } from "../controller/controller.ts";
import type { ControllerOptions } from "../controller/options.ts";
import type { ControllerEvents } from "../controller/types.ts";
import type { TransportFactory } from "../transport/transport.ts";
import type { DeviceConnector, DeviceLink } from "./device-link.ts";

export interface ConnectorOptions {
  clock?: Clock;
  /** Controller options other than the transport and clock (telemetry period, timeouts). */
  controller?: Omit<ControllerOptions, "transport" | "clock">;
  /** The `--device` schemes. Default: defaultDeviceSchemes() (no --hci, no --pins). */
  schemes?: DeviceSchemes;
}

/** Wraps a connected controller as the app's DeviceLink. */
export function linkFromController(
  controller: Controller,
  description: string,
  extra: { motorLevels?: () => { vibration: number; rotation: number }; onClose?: () => void } = {},
): DeviceLink {
  return {
    description,
    events: controller as EventEmitter<ControllerEvents>,
    get connection() {
      return controller.connection;
    },
    get info() {
      return controller.info;
    },
    play: (session) => controller.play(session),
    pause: () => controller.pause(),
    resume: () => controller.resume(),
    stop: () => controller.stop(),
    emergencyStop: () => controller.emergencyStop(),
    setIntensity: (percent) => controller.setIntensity(percent),
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
    return linkFromController(controller, device ? "Simulated massager" : target.description, {
      ...(device
        ? {
            motorLevels: () => {
              const applied = device.core.state.applied;
              return { vibration: applied.vib / LEVEL_SCALE, rotation: applied.rot / LEVEL_SCALE + 0 };
            },
          }
        : {}),
      onClose: () => target.dispose(),
    });
  };
}
