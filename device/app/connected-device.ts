/** A device as the app holds it once connected, and the connector that opens one from a spec. */
import type { DeviceInfo } from "../../protocol/device-info.ts";
import type { Controller } from "../controller/controller.ts";

/** A connected device as the app holds it: the controller, and what only its connector knows. */
export interface ConnectedDevice {
  readonly controller: Controller;
  /** Names the device for messages, e.g. `Simulated massager` or `serial:/dev/ttyUSB0`. */
  readonly description: string;
  /** The outputs the motors apply right now, 0..1 and -1..1, where the device can be read directly (the simulator). */
  motorLevels?(): { vibration: number; rotation: number };
  /** Stops the motors, closes the controller and releases what the spec opened; safe to call twice. */
  close(): Promise<void>;
}

/** Opens a device from a `--device` spec; rejects with a MassagerError naming the fix. */
export type DeviceConnector = (spec: string) => Promise<ConnectedDevice>;

/** What the device said of itself (ID), as a status field: absent until it answered. */
export function infoOf(link: ConnectedDevice): { info?: DeviceInfo } {
  const info = link.controller.info;
  return info ? { info } : {};
}
