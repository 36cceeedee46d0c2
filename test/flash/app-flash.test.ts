/**
 * Issue 14 item 8, the app's "Flash firmware": through the API and the app core, the prebuilt
 * massager firmware goes to an emulated Uno that holds only Optiboot, with the flasher's
 * progress (phase and bytes) as events; the board then answers HELLO with the new firmware and
 * the app is connected to it. A port the machine does not list as an Arduino is refused.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAppApi } from "../../device/app/app-api.ts";
import { AppCore } from "../../device/app/app-core.ts";
import { createConnector } from "../../device/app/connect.ts";
import type { AppEvent, FlashProgress } from "../../device/app/contract.ts";
import { createDeviceTools } from "../../device/app/device-tools.ts";
import { dispatch } from "../../device/app/dispatch.ts";
import type { FlashResult } from "../../device/app/tool-runner.ts";
import { buildOptiboot } from "../../device/avr-sim/bootloaders.ts";
import { type EmulatedBoard, startEmulatedBoard } from "../../device/avr-sim/emulated-board.ts";
import type { SerialPortInfo } from "../../device/transport/serial-ports.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { toolchainAvailable } from "../support/avr-toolchain.ts";

describe.runIf(toolchainAvailable())(
  "the app flashes the prebuilt firmware to an emulated Uno",
  { timeout: 60_000 },
  () => {
    let optiboot: string;
    let board: EmulatedBoard | undefined;
    let core: AppCore | undefined;
    let dir: string | undefined;

    beforeAll(async () => {
      optiboot = await buildOptiboot();
    }, 180_000);

    afterEach(async () => {
      await core?.close();
      await board?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
      core = undefined;
      board = undefined;
      dir = undefined;
    });

    async function appOn(ports: SerialPortInfo[]): Promise<{ core: AppCore; flashes: FlashProgress[] }> {
      dir = await mkdtemp(join(tmpdir(), "massager-app-flash-"));
      const made = new AppCore({
        dataDir: dir,
        connect: createConnector(),
        listDevices: async () => ({ choices: [], problems: [] }),
        tools: createDeviceTools({ listPorts: async () => ports }),
      });
      await made.init();
      const flashes: FlashProgress[] = [];
      made.on("event", (event: AppEvent) => {
        if (event.type === "flash") flashes.push(event.flash);
      });
      core = made;
      return { core: made, flashes };
    }

    it("writes and verifies with progress, then the new firmware answers and the app is connected to it", async () => {
      // Opening the port resets the board, as an Uno's DTR does; it holds Optiboot and no application.
      board = await startEmulatedBoard({ bootloader: optiboot, resetOnOpen: true, pins: [13] });
      const port = board.ptyPath;
      const app = await appOn([{ path: port, vendorId: "2341", productId: "0043", manufacturer: "Arduino" }]);
      const result = (await dispatch(createAppApi(app.core), "flashFirmware", [{ port, board: "uno" }])) as FlashResult;
      expect(result.connected).toBe(true);
      expect(result.firmware).toMatch(/^\d+\.\d+\.\d+$/);
      expect(result.pins).toBe(
        "vibration PWM D10, rotation PWM D9, direction D7 (HIGH: clockwise) / D8 (HIGH: counter-clockwise), STBY D4; PWM 20 kHz",
      );

      const phases = app.flashes.map((flash) => flash.phase).filter((phase, i, all) => phase !== all[i - 1]);
      expect(phases).toEqual(["starting", "write", "verify", "reconnecting", "done"]);
      const writes = app.flashes.filter((flash) => flash.phase === "write");
      const total = Math.ceil(result.bytes / 128) * 128;
      expect(writes).toHaveLength(total / 128);
      expect(writes.map((flash) => flash.done)).toEqual(writes.map((_, page) => (page + 1) * 128));
      expect(app.flashes.filter((flash) => flash.phase === "verify").at(-1)).toMatchObject({ done: total, total });
      expect(app.flashes.at(-1)).toMatchObject({ phase: "done", port, firmware: result.firmware });

      // Connected to the board: the handshake (HELLO → ID) answered by the firmware just written.
      const device = app.core.getStatus().device;
      expect(device).toMatchObject({ spec: `serial:${port}`, connection: "connected" });
      expect(device.info?.firmware).toBe(result.firmware);
    });

    it("refuses a port the machine does not list as an Arduino, with the fix", async () => {
      const app = await appOn([{ path: "/dev/ttyS0" }]);
      const api = createAppApi(app.core);
      await expect(api.flashFirmware({ port: "/dev/ttyS0", board: "uno" })).rejects.toMatchObject({
        code: ErrorCode.PortNotFound,
        message: expect.stringContaining("/dev/ttyS0 does not look like an Arduino board"),
      });
      await expect(api.flashFirmware({ port: "/dev/ttyACM9", board: "uno" })).rejects.toMatchObject({
        code: ErrorCode.PortNotFound,
        message: expect.stringContaining("no serial port /dev/ttyACM9 on this machine"),
      });
      expect(app.flashes.at(-1)).toMatchObject({ phase: "failed", error: { code: ErrorCode.PortNotFound } });
      // A path that is no port at all never reaches the core.
      await expect(dispatch(api, "flashFirmware", [{ port: "/dev/x; rm -rf ~", board: "uno" }])).rejects.toMatchObject({
        code: ErrorCode.InvalidOption,
      });
    });
  },
);
