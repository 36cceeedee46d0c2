/** A Transport that passes everything through to another: the base of the test transports that misbehave in one way. */
import { EventEmitter } from "node:events";
import type { Transport, TransportEvents } from "../../device/transport/transport.ts";

export class ForwardingTransport extends EventEmitter<TransportEvents> implements Transport {
  constructor(protected readonly inner: Transport) {
    super();
    inner.on("line", (line) => this.receive(line));
    inner.on("disconnect", (reason) => this.emit("disconnect", reason));
    inner.on("stopByte", () => this.emit("stopByte"));
  }

  get description(): string {
    return this.inner.description;
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

  sendStopByte(): Promise<void> {
    return this.inner.sendStopByte?.() ?? Promise.resolve();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** A line from the inner transport, passed on; a subclass overrides it to meddle. */
  protected receive(line: string): void {
    this.emit("line", line);
  }
}
