/**
 * The wire protocol over a BLE serial bridge (Nordic UART Service or HM-10 style), with noble.
 *
 *   open: power on the controller ─► scan ─► connect ─► discover RX/TX ─► subscribe to TX
 *   send(line) ─► SendQueue (stops first, latest SET wins) ─► MTU−3 byte writes to RX
 *   TX notifications ─► LineReassembler ─► "line" events
 *   link lost ─► "disconnect" (the controller reconnects with a fresh transport)
 *
 * One noble instance per transport: a reconnection starts from a clean controller, and
 * close() leaves nothing running.
 */
import { EventEmitter } from "node:events";
import type { Characteristic, Peripheral } from "@stoprocent/noble";
import {
  BLE_PROFILES,
  type BleBridgeProfile,
  DEFAULT_ATT_MTU,
  LineReassembler,
  lineBytes,
  splitForMtu,
} from "../../protocol/ble.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { STOP_BYTE } from "../../protocol/limits.ts";
import { type BleCentral, openCentral } from "./ble/noble-central.ts";
import { type BleOptions, bleOptions } from "./ble/options.ts";
import { scanForMassagers } from "./ble/scan.ts";
import { SendQueue } from "./ble/send-queue.ts";
import { withTimeout } from "./ble/timeout.ts";
import type { Transport, TransportEvents } from "./transport.ts";

/** What the transport found once open. */
export interface BleLinkInfo {
  name: string;
  address: string;
  profile: BleBridgeProfile;
  /** The negotiated ATT MTU. */
  mtu: number;
  /** True when writes wait for the device's acknowledgement (flow control); false for write without response. */
  acknowledged: boolean;
}

interface Link {
  central: BleCentral;
  peripheral: Peripheral;
  rx: Characteristic;
  tx: Characteristic;
  info: BleLinkInfo;
}

export class BleTransport extends EventEmitter<TransportEvents> implements Transport {
  private readonly options: BleOptions;
  private link: Link | undefined;
  private queue: SendQueue | undefined;
  private readonly reassembler = new LineReassembler();
  private closing = false;
  private label: string;

  constructor(options: Partial<BleOptions> = {}) {
    super();
    this.options = bleOptions(options);
    this.label = `ble:${this.options.target ?? "first massager"}`;
  }

  get description(): string {
    return this.label;
  }

  get isOpen(): boolean {
    return this.link !== undefined && !this.closing;
  }

  /** Lines queued behind the one being written: never more than the stops, one setpoint and maxPendingLines. */
  get waiting(): number {
    return this.queue?.waiting ?? 0;
  }

  /** The connected massager's name, address, bridge and MTU (undefined until open). */
  get info(): BleLinkInfo | undefined {
    return this.link?.info;
  }

  async open(): Promise<void> {
    if (this.link) return;
    if (this.closing) throw new MassagerError(ErrorCode.Disconnected, `${this.label}: the link was closed`);
    const central = await openCentral({ hci: this.options.hci, poweredOnTimeoutMs: this.options.poweredOnTimeoutMs });
    try {
      const link = await this.connect(central);
      if (this.closing) throw new MassagerError(ErrorCode.Disconnected, `${this.label}: closed while connecting`);
      this.link = link;
      this.label = `ble:${link.info.name || link.info.address}`;
      this.queue = new SendQueue((line) => this.write(link, line), this.options.maxPendingLines, this.label);
      link.peripheral.once("disconnect", (reason) => this.lost(link, `the BLE link was lost (${String(reason)})`));
    } catch (error) {
      central.stop();
      throw error;
    }
  }

  async send(line: string): Promise<void> {
    if (!this.isOpen || this.queue === undefined) {
      throw new MassagerError(ErrorCode.Disconnected, `${this.label}: cannot send, the link is not open`);
    }
    return this.queue.send(line);
  }

  /**
   * Writes the stop byte (protocol 1.1) as a write of its own, now: past the queue (it may land
   * between the pieces of a line being written; the device drops that line), and without waiting
   * for an acknowledgement where the bridge allows it.
   */
  async sendStopByte(): Promise<void> {
    const link = this.link;
    if (!this.isOpen || link === undefined) {
      throw new MassagerError(ErrorCode.Disconnected, `${this.label}: cannot send, the link is not open`);
    }
    const withoutResponse = link.rx.properties.includes("writeWithoutResponse") || !link.info.acknowledged;
    await withTimeout(
      link.rx.writeAsync(Buffer.from([STOP_BYTE]), withoutResponse),
      this.options.writeTimeoutMs,
      () => new MassagerError(ErrorCode.Disconnected, `${this.label}: the stop byte was not acknowledged`),
    );
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const link = this.link;
    this.link = undefined;
    this.queue?.close(new MassagerError(ErrorCode.Disconnected, `${this.label}: the link was closed`));
    if (link === undefined) return;
    link.peripheral.removeAllListeners("disconnect");
    link.tx.removeAllListeners("data");
    await withTimeout(link.peripheral.disconnectAsync(), 1000, () => new Error("disconnect timed out")).catch(() => {});
    link.central.stop();
  }

  private async connect(central: BleCentral): Promise<Link> {
    const { options } = this;
    const [found] = await scanForMassagers(central.noble, {
      timeoutMs: options.scanTimeoutMs,
      target: options.target,
      first: true,
    });
    if (found === undefined) {
      const what = options.target === undefined ? "no massager" : `no massager named or addressed "${options.target}"`;
      throw new MassagerError(
        ErrorCode.PortNotFound,
        `${what} found over Bluetooth (${central.where}) within ${options.scanTimeoutMs / 1000} s`,
        { hint: "switch the massager on and bring it closer; `massager scan` lists the massagers in range" },
      );
    }
    const peripheral = found.peripheral;
    const where = `${found.name || "massager"} (${found.address})`;
    const connectAndDiscover = async (): Promise<Link> => {
      await peripheral.connectAsync();
      const wanted = found.profile ? [found.profile] : BLE_PROFILES;
      const { characteristics } = await peripheral.discoverSomeServicesAndCharacteristicsAsync(
        wanted.map((profile) => profile.service),
        [],
      );
      for (const profile of wanted) {
        const rx = characteristics.find((c) => c.uuid === profile.rx);
        const tx = characteristics.find((c) => c.uuid === profile.tx);
        if (rx === undefined || tx === undefined) continue;
        tx.on("data", (data) => this.receive(data));
        await tx.subscribeAsync();
        const info: BleLinkInfo = {
          name: found.name,
          address: found.address,
          profile,
          mtu: peripheral.mtu ?? DEFAULT_ATT_MTU,
          // Acknowledged writes are the link's flow control: nothing piles up below our queue.
          acknowledged: rx.properties.includes("write"),
        };
        return { central, peripheral, rx, tx, info };
      }
      throw new MassagerError(
        ErrorCode.TransportFailed,
        `${where} offers neither the Nordic UART Service nor an HM-10 serial service`,
        { hint: "this device is not a massager bridge; `massager scan` lists the ones that are" },
      );
    };
    try {
      return await withTimeout(
        connectAndDiscover(),
        options.connectTimeoutMs,
        () =>
          new MassagerError(
            ErrorCode.TransportFailed,
            `could not connect to ${where} within ${options.connectTimeoutMs / 1000} s`,
            {
              hint: "bring the massager closer, or switch it off and on again",
            },
          ),
        () => peripheral.cancelConnect(),
      );
    } catch (error) {
      await withTimeout(peripheral.disconnectAsync(), 1000, () => new Error("disconnect timed out")).catch(() => {});
      if (error instanceof MassagerError) throw error;
      throw new MassagerError(ErrorCode.TransportFailed, `could not connect to ${where}: ${String(error)}`, {
        cause: error,
      });
    }
  }

  private receive(data: Buffer): void {
    for (const line of this.reassembler.push(data)) {
      if (this.isOpen) this.emit("line", line);
    }
  }

  private async write(link: Link, line: string): Promise<void> {
    const { info, rx } = link;
    for (const chunk of splitForMtu(lineBytes(line), info.mtu)) {
      await withTimeout(rx.writeAsync(Buffer.from(chunk), !info.acknowledged), this.options.writeTimeoutMs, () => {
        const error = new MassagerError(
          ErrorCode.Disconnected,
          `${this.label}: the massager stopped acknowledging writes for ${this.options.writeTimeoutMs} ms`,
        );
        this.lost(link, "writes are no longer acknowledged");
        return error;
      });
    }
  }

  /** The link went away under us: tell the controller once, and let go of the controller. */
  private lost(link: Link, reason: string): void {
    if (this.link !== link || this.closing) return;
    this.link = undefined;
    const error = new MassagerError(ErrorCode.Disconnected, `${this.label}: ${reason}`, {
      hint: "the massager's watchdog stops its motors; check its battery and distance",
    });
    this.queue?.close(error);
    link.peripheral.removeAllListeners("disconnect");
    link.tx.removeAllListeners("data");
    link.central.stop();
    this.emit("disconnect", error);
  }
}
