/**
 * What the app needs of a connected device: the controller's session control and events,
 * plus its description and, for the simulator, the levels its motors really apply (so the
 * UI and the end-to-end tests can see them reach zero).
 */
import type { EventEmitter } from "node:events";
import type { ConnectionStatus, ControllerEvents, DeviceInfo, SessionControl } from "../controller/types.ts";

export interface DeviceLink extends SessionControl {
  /** The controller's events (connection, telemetry, progress, ended, ...). */
  readonly events: EventEmitter<ControllerEvents>;
  /** Names the link for messages, e.g. `simulator` or `serial:/dev/ttyUSB0`. */
  readonly description: string;
  readonly connection: ConnectionStatus;
  /** Known once the handshake is done. */
  readonly info: DeviceInfo | undefined;
  /** The outputs the motors apply right now, 0..1 and -1..1, where the device can be read directly (the simulator). */
  motorLevels?(): { vibration: number; rotation: number };
  /** Stops the motors and closes the link; safe to call twice. */
  close(): Promise<void>;
}

/** Opens a link from a `--device` spec; rejects with a MassagerError naming the fix. */
export type DeviceConnector = (spec: string) => Promise<DeviceLink>;

/** One entry of the device panel. */
export interface DeviceChoice {
  spec: string;
  label: string;
  kind: "simulator" | "serial" | "firmata" | "ble" | "tcp";
  detail?: string;
  /** A serial port whose USB vendor is an Arduino's (or its clones' chip): the app offers to flash it. */
  arduino?: boolean;
}

/** Lists what can be connected right now; each source that fails adds a problem instead of failing the list. */
export type DeviceLister = () => Promise<{ choices: DeviceChoice[]; problems: string[] }>;
