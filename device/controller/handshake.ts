/**
 * HELLO until ID (PROTOCOL.md, "Handshake and versions"): re-sent every helloIntervalMs,
 * because a board that resets when its port opens misses the first ones; a device speaking
 * another protocol version is refused before anything moves.
 */
import { type DeviceInfo, deviceInfoFromId } from "../../protocol/device-info.ts";
import { ErrorCode, isDeviceRefusal, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import { PROTOCOL_VERSION } from "../../protocol/limits.ts";
import type { Clock } from "../clock.ts";
import type { FrameLink } from "./link.ts";

export interface HandshakeOptions {
  clock: Clock;
  handshakeTimeoutMs: number;
  helloIntervalMs: number;
}

export async function handshake(link: FrameLink, options: HandshakeOptions): Promise<DeviceInfo> {
  const where = link.transport.description;
  let noise = 0;
  let firstNoise = "";
  const onNoise = (line: string) => {
    if (noise++ === 0) firstNoise = line.slice(0, 40);
  };
  link.on("noise", onNoise);
  try {
    const deadline = options.clock.now() + options.handshakeTimeoutMs;
    for (;;) {
      const remaining = deadline - options.clock.now();
      if (remaining <= 0) break;
      try {
        const reply = await link.request(
          { type: "HELLO", proto: PROTOCOL_VERSION },
          { timeoutMs: Math.min(options.helloIntervalMs, remaining) },
        );
        if (reply.type !== "ID") throw unexpected(where, `answered HELLO with ${reply.type} instead of ID`);
        if (reply.proto !== PROTOCOL_VERSION) {
          throw new MassagerError(
            ErrorCode.HandshakeFailed,
            `${where}: the device speaks protocol version ${reply.proto}, this controller speaks ${PROTOCOL_VERSION}`,
            { hint: "update the firmware (or this app) so both speak the same protocol version" },
          );
        }
        return deviceInfoFromId(reply);
      } catch (error) {
        if (isMassagerError(error, ErrorCode.Timeout)) continue;
        if (isMassagerError(error) && isDeviceRefusal(error))
          throw unexpected(where, `refused HELLO (${error.message})`);
        throw error;
      }
    }
    const heard =
      noise > 0
        ? `it sent ${noise} line(s) that are not protocol frames (first: ${JSON.stringify(firstNoise)})`
        : "it sent nothing";
    throw new MassagerError(
      ErrorCode.HandshakeFailed,
      `${where}: no answer to HELLO within ${options.handshakeTimeoutMs} ms; ${heard}`,
      {
        hint:
          noise > 0
            ? "this port is not a massager speaking protocol 1 at 115200 baud: check the port, the baud rate and the firmware"
            : "another program may be reading the port (a serial monitor, the Arduino IDE, screen): close it. " +
              "Otherwise check that the massager firmware is flashed and running, and that this is its port (massager ports)",
      },
    );
  } finally {
    link.off("noise", onNoise);
  }
}

function unexpected(where: string, what: string): MassagerError {
  return new MassagerError(ErrorCode.HandshakeFailed, `${where}: the device ${what}`, {
    hint: "check that the firmware is the massager firmware and up to date",
  });
}
