/** A tiny wire-protocol client for bridge tests: sends frames and waits for the matching reply. */

import type { Transport } from "../../device/transport/transport.ts";
import { decode, encode } from "../../protocol/codec.ts";
import type { DeviceMessage, HostMessage } from "../../protocol/commands.ts";

export interface WireClient {
  lines: string[];
  request(message: HostMessage, timeoutMs?: number): Promise<DeviceMessage>;
}

export function wireClient(transport: Transport): WireClient {
  const lines: string[] = [];
  const waiters = new Map<number, (message: DeviceMessage) => void>();
  transport.on("line", (line) => {
    lines.push(line);
    const result = decode(line);
    if (result.kind !== "message") return;
    const message = result.message as DeviceMessage;
    if ("seq" in message && (message.type === "OK" || message.type === "ER" || message.type === "ID")) {
      waiters.get(message.seq)?.(message);
      waiters.delete(message.seq);
    }
  });
  return {
    lines,
    // A wait, not a timing assertion: long, as a loaded machine may answer seconds late.
    request(message, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${encode(message)}`)), timeoutMs);
        waiters.set(message.seq, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
        transport.send(encode(message)).catch(reject);
      });
    },
  };
}
