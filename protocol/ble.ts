/**
 * The wire protocol over a BLE serial bridge (PROTOCOL.md, "BLE bridges").
 *
 *   host line ──split into MTU−3 byte writes──► RX characteristic ─► device
 *   host ◄── LineReassembler ◄── notifications ◄── TX characteristic ◄─ device
 *
 * Renderer-safe: Uint8Array only, no Node Buffer. Lines are byte strings (one char per byte,
 * latin1), as on every other link: see PROTOCOL.md, "Frames".
 */

/** A BLE serial bridge: the service a massager advertises and the characteristics the lines ride on. */
export interface BleBridgeProfile {
  readonly id: "nus" | "hm10";
  readonly label: string;
  /** UUIDs in the short lower-case form noble and bleno report: no dashes, 16-bit ones as 4 digits. */
  readonly service: string;
  /** Written by the host (write without response). */
  readonly rx: string;
  /** Notified by the device. */
  readonly tx: string;
}

/** Nordic UART Service: separate RX (host writes) and TX (device notifies) characteristics. */
export const NUS_PROFILE: BleBridgeProfile = {
  id: "nus",
  label: "Nordic UART Service",
  service: "6e400001b5a3f393e0a9e50e24dcca9e",
  rx: "6e400002b5a3f393e0a9e50e24dcca9e",
  tx: "6e400003b5a3f393e0a9e50e24dcca9e",
};

/** HM-10 style modules: service FFE0, one characteristic FFE1 both written and notified. */
export const HM10_PROFILE: BleBridgeProfile = {
  id: "hm10",
  label: "HM-10 serial (FFE0)",
  service: "ffe0",
  rx: "ffe1",
  tx: "ffe1",
};

export const BLE_PROFILES: readonly BleBridgeProfile[] = [NUS_PROFILE, HM10_PROFILE];

/** The ATT MTU every BLE link starts with (and the one HM-10 modules keep). */
export const DEFAULT_ATT_MTU = 23;

/** An ATT write or notification carries MTU − 3 bytes: one opcode byte and a two-byte handle. */
const ATT_HEADER_BYTES = 3;

/**
 * Longest buffered partial line before the reassembler gives up on it. Frames are at most 95
 * bytes; anything this long without a `\n` is garbage, and a bounded buffer is what resyncs.
 */
export const MAX_PARTIAL_LINE = 512;

/** Lower-case, dash-free UUID; the Bluetooth base UUID form of a 16-bit UUID shrinks to its 4 digits. */
export function normalizeUuid(uuid: string): string {
  const bare = uuid.toLowerCase().replace(/-/g, "");
  const base = /^0000([0-9a-f]{4})00001000800000805f9b34fb$/.exec(bare);
  return base?.[1] ?? bare;
}

/** The bridge profile whose service UUID is `uuid`, if any. */
export function profileForService(uuid: string): BleBridgeProfile | undefined {
  const wanted = normalizeUuid(uuid);
  return BLE_PROFILES.find((profile) => profile.service === wanted);
}

/** Bytes one ATT write or notification can carry at this MTU (never below the 23-byte minimum's 20). */
export function payloadSize(mtu: number): number {
  return Math.max(DEFAULT_ATT_MTU, Math.floor(mtu)) - ATT_HEADER_BYTES;
}

/** The bytes of one frame as it travels: the line plus its `\n`, one byte per char (a char above 0xFF keeps its low byte, as Node's latin1 does). */
export function lineBytes(line: string): Uint8Array {
  const bytes = new Uint8Array(line.length + 1);
  for (let i = 0; i < line.length; i++) bytes[i] = line.charCodeAt(i) & 0xff;
  bytes[line.length] = 0x0a;
  return bytes;
}

/** Splits bytes into consecutive writes of at most `payloadSize(mtu)` bytes each. */
export function splitForMtu(bytes: Uint8Array, mtu: number): Uint8Array[] {
  const size = payloadSize(mtu);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    chunks.push(bytes.subarray(offset, offset + size));
  }
  return chunks;
}

/**
 * Joins notifications (or writes) back into lines. A notification may hold part of a line,
 * a whole one or several; `\r` before `\n` is dropped, and a partial line longer than
 * MAX_PARTIAL_LINE is discarded so garbage cannot grow the buffer.
 */
export class LineReassembler {
  private partial = "";
  private overflowed = false;

  /** Adds one chunk; returns the lines it completed, without their line endings. */
  push(chunk: Uint8Array): string[] {
    const text = this.partial + String.fromCharCode(...chunk);
    const pieces = text.split("\n");
    this.partial = pieces.pop() ?? "";
    const lines: string[] = [];
    for (const piece of pieces) {
      if (this.overflowed) {
        // The tail of a line already thrown away: skip it and resync on what follows.
        this.overflowed = false;
        continue;
      }
      lines.push(piece.endsWith("\r") ? piece.slice(0, -1) : piece);
    }
    if (this.partial.length > MAX_PARTIAL_LINE) {
      this.partial = "";
      this.overflowed = true;
    }
    return lines;
  }

  /** Forgets a partial line (after a reconnection, a half-received frame is worthless). */
  reset(): void {
    this.partial = "";
    this.overflowed = false;
  }
}
