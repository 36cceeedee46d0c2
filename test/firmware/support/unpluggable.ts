/**
 * A transport that can be "unplugged" under the controller: the port closes without a word to
 * the device and the controller hears a disconnect, as when a USB cable is pulled.
 */
import { EventEmitter } from "node:events";
import type { Transport, TransportEvents } from "../../../device/transport/transport.ts";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

export class UnpluggableTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description: string;

  constructor(private readonly inner: Transport) {
    super();
    this.description = inner.description;
    inner.on("line", (line) => this.emit("line", line));
    inner.on("disconnect", (reason) => this.emit("disconnect", reason));
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  send(line: string): Promise<void> {
    return this.inner.send(line);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async unplug(): Promise<void> {
    await this.inner.close();
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: unplugged`));
  }
}
