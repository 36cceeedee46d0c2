/** Wire-level constants shared by every implementation of the protocol. */

/** The protocol version this build speaks. A device with another major version is refused. */
export const PROTOCOL_VERSION = 1;

/** Longest frame, in bytes, counting the checksum but not the line ending. Sized for a 2 KB AVR. */
export const MAX_LINE_LENGTH = 95;

/**
 * Full scale of an output level: levels, caps and gains travel as integers, vibration 0..1000,
 * rotation -1000..1000 (the sign is the direction). The one place this number is said; the
 * firmware gets it as kFullScale from the generated header (npm run firmware:header).
 */
export const FULL_SCALE = 1000;

/** A percent (0..100) as the GAIN a device applies, 0..FULL_SCALE: what the controller sends and the chart plays. */
export function gainFromPercent(percent: number): number {
  return Math.max(0, Math.min(FULL_SCALE, Math.round(percent * 10)));
}

/** At most this many keyframes in one `KEY` frame, so a frame stays under MAX_LINE_LENGTH. */
export const MAX_KEYS_PER_FRAME = 4;

/** Longest keyframe, in milliseconds (it is stored in 16 bits on the device). */
export const MAX_KEY_DURATION_MS = 65_535;

/** Sequence numbers on requests run 1..65535 and wrap; 0 marks a reply to a frame whose number could not be read. */
export const MAX_SEQ = 65_535;

/**
 * The out-of-band emergency stop (protocol 1.1, Capability.StopByte): ASCII CAN ("cancel").
 * Frames are printable ASCII, so no frame can hold it; a device acts on it the moment it
 * arrives, wherever it falls in a line, and drops the partial line it cut.
 */
export const STOP_BYTE = 0x18;

/** STOP_BYTE as the one-char (latin1) string the transports carry. */
export const STOP_BYTE_CHAR = String.fromCharCode(STOP_BYTE);
