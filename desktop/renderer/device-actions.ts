/** The Device screen's actions: list what can be connected, scan for Bluetooth, connect. */
import type { App } from "./app.ts";

export class DeviceActions {
  constructor(private readonly app: App) {}

  async refresh(): Promise<void> {
    this.app.set({ devicesLoading: true });
    try {
      this.app.set({ devices: await this.app.client.api.listDevices(), devicesLoading: false });
    } catch (error) {
      this.app.fail(error);
      this.app.set({ devicesLoading: false });
    }
  }

  async scanBluetooth(): Promise<void> {
    this.app.set({ devicesLoading: true });
    try {
      const found = await this.app.client.api.scanBluetooth();
      const current = this.app.state.devices ?? { choices: [], problems: [] };
      const others = current.choices.filter((choice) => choice.kind !== "ble");
      this.app.set({
        devices: { choices: [...others, ...found.choices], problems: found.problems },
        devicesLoading: false,
      });
    } catch (error) {
      this.app.fail(error);
      this.app.set({ devicesLoading: false });
    }
  }

  async connect(spec: string): Promise<void> {
    this.app.set({ busy: true });
    try {
      const status = await this.app.client.api.connectDevice(spec);
      this.app.set({
        status,
        busy: false,
        notice: { kind: "info", message: `Connected to ${status.device.description}.` },
      });
    } catch (error) {
      this.app.fail(error);
    }
  }
}
