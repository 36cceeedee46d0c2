/**
 * The Device screen's two hardware tools, as the app core runs them once it has let go of the
 * device: the motor test (device/hw/motor-test.ts, as `massager test-motors`) on a device spec,
 * and flashing the prebuilt massager firmware (device/flash, as `massager flash --firmware
 * prebuilt`) to a serial port the machine lists as an Arduino. Both load their modules only when
 * used, so the app starts without the flasher.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { type Clock, RealClock } from "../clock.ts";
import { type DeviceSchemes, defaultDeviceSchemes } from "../composition/device-schemes.ts";
import { deviceFromSpec } from "../composition/device-spec.ts";
import type { FlashPhase } from "../flash/flash.ts";
import type { MotorTestEvents } from "../hw/motor-test.ts";
import type { SerialPortInfo } from "../transport/serial-ports.ts";
import type { FlashRequest } from "./contract.ts";

export interface MotorTestRun {
  signal: AbortSignal;
  events: MotorTestEvents;
}

export interface FlashRun {
  /** Stops between pages (the app closing); the board then needs flashing again. */
  signal: AbortSignal;
  onProgress(phase: FlashPhase, done: number, total: number): void;
}

export interface FlashOutcome {
  bytes: number;
  writeMs: number;
  verifyMs: number;
  /** What the new firmware answered to HELLO, and its pins in words when it reports them. */
  firmware: string;
  pins?: string;
}

export interface DeviceTools {
  /** Runs the motor test on the device `spec` names; rejects when stopped (SessionAborted) or on failure. */
  testMotors(spec: string, run: MotorTestRun): Promise<void>;
  /** Flashes the prebuilt firmware and waits for it to answer HELLO. */
  flash(request: FlashRequest, run: FlashRun): Promise<FlashOutcome>;
}

export interface DeviceToolsOptions {
  /** The same schemes the app's connector uses (a Firmata pin map, a Bluetooth controller). */
  schemes?: DeviceSchemes;
  clock?: Clock;
  /** The machine's serial ports (default: listSerialPorts); only Arduino-like ones may be flashed. */
  listPorts?: () => Promise<SerialPortInfo[]>;
}

export function createDeviceTools(options: DeviceToolsOptions = {}): DeviceTools {
  const clock = options.clock ?? new RealClock();
  const schemes = options.schemes ?? defaultDeviceSchemes();
  return {
    async testMotors(spec, run) {
      const { runMotorTest } = await import("../hw/motor-test.ts");
      const target = deviceFromSpec(spec, { clock }, schemes);
      const transport = target.transport();
      try {
        await transport.open();
        await runMotorTest(transport, { clock, signal: run.signal, events: run.events });
      } finally {
        await transport.close().catch(() => undefined);
        target.dispose();
      }
    },

    async flash(request, run) {
      const [{ isArduinoLike, listSerialPorts }, { BOARDS }, { chooseFirmware }, { flashFirmware }, boot, pinReport] =
        await Promise.all([
          import("../transport/serial-ports.ts"),
          import("../flash/boards.ts"),
          import("../flash/firmware-choice.ts"),
          import("../flash/flash.ts"),
          import("../hw/boot-check.ts"),
          import("../hw/pin-report.ts"),
        ]);
      // Only a port the machine lists as an Arduino: the API must not write to any path it is given.
      const ports = await (options.listPorts ?? (async () => (await listSerialPorts()).ports))();
      const port = ports.find((listed) => listed.path === request.port);
      if (!port || !isArduinoLike(port)) {
        throw new MassagerError(
          ErrorCode.PortNotFound,
          port
            ? `${request.port} does not look like an Arduino board`
            : `no serial port ${request.port} on this machine`,
          {
            hint: port
              ? "the app flashes Arduino boards only; for another board use: massager flash --port PATH"
              : "plug the board in, press Look again, and flash it from the list",
          },
        );
      }
      const board = BOARDS[request.board];
      const firmware = await chooseFirmware("prebuilt", board.name);
      const result = await flashFirmware(
        { port: request.port, board, image: firmware.image, onProgress: run.onProgress, signal: run.signal },
        firmware.path,
      );
      const identity = await boot.helloAfterFlash(request.port);
      return {
        bytes: result.bytes,
        writeMs: Math.round(result.writeMs),
        verifyMs: Math.round(result.verifyMs),
        firmware: identity.firmware,
        ...(identity.pins ? { pins: pinReport.describePins(identity.pins) } : {}),
      };
    },
  };
}
