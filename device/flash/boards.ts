/** What the flasher needs to know of each board it supports. */

export type BoardName = "uno" | "nano";

export interface BoardProfile {
  name: BoardName;
  /** The bootloader's baud rate. */
  baudRate: number;
  /** Which bootloader answers, for messages. */
  bootloader: string;
  /** Flash page size, bytes. */
  pageSize: number;
  /** Bytes available to the application (below the boot section). */
  applicationBytes: number;
  /** The chip's signature bytes. */
  signature: readonly [number, number, number];
}

const ATMEGA328P_SIGNATURE = [0x1e, 0x95, 0x0f] as const;

export const BOARDS: Readonly<Record<BoardName, BoardProfile>> = {
  uno: {
    name: "uno",
    baudRate: 115_200,
    bootloader: "Optiboot",
    pageSize: 128,
    applicationBytes: 0x7e00,
    signature: ATMEGA328P_SIGNATURE,
  },
  // Nano clones and older Nanos ship the old ATmegaBOOT (2 KB boot section, 57600 baud).
  nano: {
    name: "nano",
    baudRate: 57_600,
    bootloader: "the old Nano bootloader (ATmegaBOOT)",
    pageSize: 128,
    applicationBytes: 0x7800,
    signature: ATMEGA328P_SIGNATURE,
  },
};

/** Names chips by signature, for a clear "wrong board" message. */
export function chipName(signature: readonly number[]): string {
  const hex = signature.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(" ");
  const known: Record<string, string> = {
    "1E 95 0F": "ATmega328P",
    "1E 95 14": "ATmega328",
    "1E 94 06": "ATmega168",
    "1E 98 01": "ATmega2560",
    "1E 95 87": "ATmega32U4",
  };
  return known[hex] ? `${known[hex]} (${hex})` : `an unknown chip (${hex})`;
}
