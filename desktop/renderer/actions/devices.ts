/** The Device screen's actions: list what can be connected, scan for Bluetooth, connect. */
import { type ActionContext, failed } from "./context.ts";

export class DeviceActions {
  constructor(private readonly ctx: ActionContext) {}

  async refresh(): Promise<void> {
    const { store, api } = this.ctx;
    store.update({ devicesLoading: true });
    try {
      store.update({ devices: await api.listDevices(), devicesLoading: false });
    } catch (error) {
      store.update({ ...failed(error), devicesLoading: false });
    }
  }

  async scanBluetooth(): Promise<void> {
    const { store, api } = this.ctx;
    store.update({ devicesLoading: true });
    try {
      const found = await api.scanBluetooth();
      const current = store.state.devices ?? { choices: [], problems: [] };
      const others = current.choices.filter((choice) => choice.kind !== "ble");
      store.update({
        devices: { choices: [...others, ...found.choices], problems: found.problems },
        devicesLoading: false,
      });
    } catch (error) {
      store.update({ ...failed(error), devicesLoading: false });
    }
  }

  async connect(spec: string): Promise<void> {
    const { store, api } = this.ctx;
    store.update({ busy: true });
    try {
      const status = await api.connectDevice(spec);
      store.update({
        status,
        busy: false,
        notice: { kind: "info", message: `Connected to ${status.device.description}.` },
      });
    } catch (error) {
      store.update(failed(error));
    }
  }
}
