/**
 * A transport that can be "unplugged" under the controller: the port closes without a word to
 * the device and the controller hears a disconnect, as when a USB cable is pulled.
 */
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import { ForwardingTransport } from "../../support/forwarding-transport.ts";

export class UnpluggableTransport extends ForwardingTransport {
  async unplug(): Promise<void> {
    await this.inner.close();
    this.emit("disconnect", new MassagerError(ErrorCode.Disconnected, `${this.description}: unplugged`));
  }
}
