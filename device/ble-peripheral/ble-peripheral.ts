/**
 * A BLE serial bridge on the device side, with bleno: advertises the Nordic UART Service (or
 * the HM-10 service), and gives each host that connects a PeripheralLink carrying lines.
 *
 *   host writes RX ─► PeripheralLink.written ─► "line"      (the device's inbound lines)
 *   device send()  ─► notifications on TX, MTU − 3 bytes each
 *
 * bleno is imported only here and only when used, with explicit bindings. It keeps a timer
 * alive after stop(), so a process that runs it exits explicitly (the CLI does).
 */
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import type { Bleno, ConnectionHandle, State } from "@stoprocent/bleno";
import type { BleBridgeProfile } from "../../protocol/ble.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { checkLinuxAdapter } from "../transport/ble/adapter-preflight.ts";
import { describeHci, type HciSpec } from "../transport/ble/hci-spec.ts";
import { withoutLibrarySignalHandlers } from "../transport/ble/signal-guard.ts";
import { PeripheralLink } from "./peripheral-link.ts";

export interface BlePeripheralOptions {
  hci: HciSpec;
  profile: BleBridgeProfile;
  /** The advertised name (keep it short: it shares 31 bytes with the service UUID). */
  name: string;
  /** How long the controller may take to power on, ms. */
  poweredOnTimeoutMs: number;
  /** Caps the ATT MTU the way HM-10 modules do (they keep 23); default: bleno's own limit. */
  maxMtu?: number;
}

export interface BlePeripheralEvents {
  /** A host connected; the device should attach to `link`. */
  connect: [link: PeripheralLink, address: string];
  disconnect: [address: string];
}

function blenoBindings(hci: HciSpec): { type: "hci" | "mac"; options: Record<string, unknown> } {
  if (hci.kind === "uart") {
    if (!existsSync(hci.port)) {
      throw new MassagerError(ErrorCode.PortNotFound, `no HCI UART at ${hci.port}`, {
        hint: "check the path of the Bluetooth controller's serial port",
      });
    }
    return {
      type: "hci",
      options: { hciDriver: "uart", bindParams: { uart: { port: hci.port, baudRate: hci.baudRate } } },
    };
  }
  if (process.platform === "linux") {
    const deviceId = hci.kind === "native" ? hci.deviceId : 0;
    checkLinuxAdapter(deviceId);
    return { type: "hci", options: { hciDriver: "native", deviceId } };
  }
  if (process.platform === "darwin" && hci.kind === "default") return { type: "mac", options: {} };
  throw new MassagerError(ErrorCode.BluetoothUnavailable, `a BLE peripheral cannot run on ${process.platform} here`, {
    hint: "run the BLE simulator on Linux or macOS, or give --hci uart:PORT",
  });
}

export class BlePeripheral extends EventEmitter<BlePeripheralEvents> {
  private readonly links = new Map<ConnectionHandle, PeripheralLink>();
  private stopped = false;

  private constructor(
    private readonly bleno: Bleno,
    readonly options: BlePeripheralOptions,
  ) {
    super();
  }

  /** Powers the controller on, publishes the bridge service and starts advertising. */
  static async start(options: BlePeripheralOptions): Promise<BlePeripheral> {
    const choice = blenoBindings(options.hci);
    let withBindings: typeof import("@stoprocent/bleno").withBindings;
    try {
      ({ withBindings } = await import("@stoprocent/bleno"));
    } catch (error) {
      throw new MassagerError(ErrorCode.BluetoothUnavailable, "the Bluetooth peripheral library could not be loaded", {
        hint: "reinstall the dependencies with `npm ci`",
        cause: error,
      });
    }
    const bleno = withBindings(choice.type, choice.options);
    const peripheral = new BlePeripheral(bleno, options);
    try {
      await peripheral.powerOn();
      await peripheral.publish();
      return peripheral;
    } catch (error) {
      peripheral.stop();
      throw error;
    }
  }

  /** The controller's address, e.g. `00:aa:01:00:00:42`. */
  get address(): string {
    return this.bleno.address;
  }

  /** Drops every connected host, as a massager walking out of range would. */
  disconnect(): void {
    this.bleno.disconnect();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const link of this.links.values()) link.dropped();
    this.links.clear();
    this.bleno.removeAllListeners();
    this.bleno.stop();
  }

  private powerOn(): Promise<void> {
    const where = describeHci(this.options.hci);
    return new Promise<void>((resolve, reject) => {
      let last: State = "unknown";
      const timer = setTimeout(() => {
        this.bleno.removeListener("stateChange", onState);
        reject(
          new MassagerError(
            ErrorCode.BluetoothUnavailable,
            `the Bluetooth controller (${where}) did not power on (state ${last})`,
            { hint: "check that Bluetooth is on and that the controller supports Bluetooth LE" },
          ),
        );
      }, this.options.poweredOnTimeoutMs);
      const onState = (state: State) => {
        last = state;
        if (state !== "poweredOn") return;
        clearTimeout(timer);
        this.bleno.removeListener("stateChange", onState);
        resolve();
      };
      // Adding the first stateChange listener starts bleno's bindings, and with them its SIGINT handler.
      withoutLibrarySignalHandlers(() => this.bleno.on("stateChange", onState));
    });
  }

  private async publish(): Promise<void> {
    const { bleno, options } = this;
    const { profile } = options;
    this.capMtu();
    const onWrite = (
      handle: ConnectionHandle,
      data: Buffer,
      _offset: number,
      _noResponse: boolean,
      done: (result: number) => void,
    ) => {
      this.links.get(handle)?.written(data);
      done(bleno.Characteristic.RESULT_SUCCESS);
    };
    const onSubscribe = (handle: ConnectionHandle, maxValueSize: number, notify: (data?: Buffer) => void) => {
      this.links.get(handle)?.subscribed((data) => notify(data), maxValueSize);
    };
    const onUnsubscribe = (handle: ConnectionHandle) => this.links.get(handle)?.unsubscribed();
    const characteristics =
      profile.rx === profile.tx
        ? [
            new bleno.Characteristic({
              uuid: profile.rx,
              properties: ["write", "writeWithoutResponse", "notify"],
              onWriteRequest: onWrite,
              onSubscribe,
              onUnsubscribe,
            }),
          ]
        : [
            new bleno.Characteristic({
              uuid: profile.rx,
              properties: ["write", "writeWithoutResponse"],
              onWriteRequest: onWrite,
            }),
            new bleno.Characteristic({ uuid: profile.tx, properties: ["notify"], onSubscribe, onUnsubscribe }),
          ];
    bleno.on("accept", (address, handle) => {
      const link = new PeripheralLink(`ble host ${address}`);
      this.links.set(handle, link);
      this.emit("connect", link, address);
    });
    bleno.on("disconnect", (address, handle) => {
      this.links.get(handle)?.dropped();
      this.links.delete(handle);
      this.emit("disconnect", address);
    });
    bleno.on("mtuChange", (mtu) => {
      for (const link of this.links.values()) link.mtuChanged(mtu);
    });
    await bleno.setServicesAsync([new bleno.PrimaryService({ uuid: profile.service, characteristics })]);
    await bleno.startAdvertisingAsync(options.name, [profile.service]);
  }

  /**
   * bleno answers MTU requests up to its gatt's `maxMtu` (256); an HM-10 module keeps 23.
   * bleno has no public option for it, so the field is set where it exists, and checked.
   */
  private capMtu(): void {
    const limit = this.options.maxMtu;
    if (limit === undefined) return;
    const gatt = (this.bleno as unknown as { _bindings?: { _gatt?: { maxMtu?: number } } })._bindings?._gatt;
    if (gatt === undefined || typeof gatt.maxMtu !== "number") {
      throw new MassagerError(ErrorCode.InvalidOption, "this bleno version cannot limit the MTU (HM-10 emulation)", {
        hint: "run without --hm10, or pin @stoprocent/bleno to the version in package-lock.json",
      });
    }
    gatt.maxMtu = limit;
  }
}
