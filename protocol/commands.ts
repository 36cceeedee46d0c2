/**
 * The wire protocol's single source of truth: every frame, its direction and its fields.
 * The encoder, the decoder, the message types and the vectors in test/vectors/ all derive
 * from this table; PROTOCOL.md describes it in prose.
 */
import { type Field, type FieldValue, int, keys, oneOf, uint, version } from "./fields.ts";
import { FULL_SCALE } from "./limits.ts";

const DAY_MS = 86_400_000;
const vibCap = uint("vibCap", 0, FULL_SCALE);
const rotCap = uint("rotCap", 0, FULL_SCALE);
const limitS = uint("limitS", 1, 86_400);

export const DEVICE_STATES = ["IDLE", "PLAYING", "PAUSED", "STREAMING", "STOPPING"] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/** Why the device entered its current state. */
export const STATE_REASONS = ["BOOT", "HOST", "DONE", "ESTOP", "WDOG", "LIMIT", "FAULT"] as const;
export type StateReason = (typeof STATE_REASONS)[number];

/** How a device drives the rotation motor (PN's drv): one PWM and two direction pins, or one PWM per direction. */
export const DRIVERS = ["PD", "2P"] as const;
/** The highest Arduino Uno/Nano pin number (A5 = 19). */
const MAX_PIN = 19;

/**
 * Capability bits in `ID`. Protocol 1.1 added StopByte (the device acts on STOP_BYTE), Gain (the
 * `GAIN` request) and Pins (the `PINS` request); a host falls back when a bit is missing, and a
 * 1.0 host ignores the bits it does not know.
 */
export const Capability = {
  Vibration: 1,
  Rotation: 2,
  Program: 4,
  Stream: 8,
  StopByte: 16,
  Gain: 32,
  Pins: 64,
} as const;

interface CommandDef {
  /** `host`: sent by the controller, answered with OK/ER (or ID). `device`: sent by the device. */
  readonly from: "host" | "device";
  /** Whether the frame carries a sequence number after its name. */
  readonly seq: boolean;
  readonly fields: readonly Field[];
}

export const COMMANDS = {
  // Host to device. Every request carries a sequence number and is answered by OK or ER with it.
  HELLO: { from: "host", seq: true, fields: [uint("proto", 0, 255)] },
  LOAD: { from: "host", seq: true, fields: [uint("blocks", 1, 255), uint("totalMs", 1, DAY_MS)] },
  BLK: { from: "host", seq: true, fields: [uint("durationMs", 1, DAY_MS), uint("step", 0, 255)] },
  KEY: { from: "host", seq: true, fields: [oneOf("track", ["V", "R"]), keys("keys")] },
  COMMIT: { from: "host", seq: true, fields: [] },
  START: { from: "host", seq: true, fields: [vibCap, rotCap, limitS] },
  STREAM: { from: "host", seq: true, fields: [vibCap, rotCap, limitS] },
  SET: { from: "host", seq: true, fields: [uint("vib", 0, FULL_SCALE), int("rot", -FULL_SCALE, FULL_SCALE)] },
  PAUSE: { from: "host", seq: true, fields: [] },
  RESUME: { from: "host", seq: true, fields: [] },
  STOP: { from: "host", seq: true, fields: [] },
  ESTOP: { from: "host", seq: true, fields: [] },
  PING: { from: "host", seq: true, fields: [] },
  STATUS: { from: "host", seq: true, fields: [] },
  TELEM: { from: "host", seq: true, fields: [uint("periodMs", 0, 10_000)] },
  /** Protocol 1.1 (Capability.Gain): per-output gain, permille, applied before the caps; every state. */
  GAIN: { from: "host", seq: true, fields: [uint("vib", 0, FULL_SCALE), uint("rot", 0, FULL_SCALE)] },
  /** Protocol 1.1 (Capability.Pins): the device's pin map and PWM frequency, answered by PN (as HELLO by ID). */
  PINS: { from: "host", seq: true, fields: [] },

  // Device to host.
  OK: { from: "device", seq: true, fields: [] },
  ER: { from: "device", seq: true, fields: [uint("code", 100, 299)] },
  ID: {
    from: "device",
    seq: true,
    fields: [
      uint("proto", 0, 255),
      version("firmware"),
      uint("caps", 0, 255),
      uint("pwmBits", 1, 16),
      uint("maxBlocks", 1, 255),
      uint("maxKeys", 1, 65_535),
      uint("watchdogMs", 100, 60_000),
      uint("maxSessionS", 1, 86_400),
      uint("slewMs", 0, 10_000),
      vibCap,
      rotCap,
    ],
  },
  ST: {
    from: "device",
    seq: false,
    fields: [
      oneOf("state", DEVICE_STATES),
      oneOf("reason", STATE_REASONS),
      uint("step", 0, 255),
      uint("posMs", 0, DAY_MS),
    ],
  },
  TM: {
    from: "device",
    seq: false,
    fields: [
      uint("tMs", 0, 4_294_967_295),
      uint("vib", 0, FULL_SCALE),
      int("rot", -FULL_SCALE, FULL_SCALE),
      uint("step", 0, 255),
      uint("posMs", 0, DAY_MS),
    ],
  },
  /**
   * Protocol 1.1: the answer to PINS. Pins in Arduino numbering (A0..A5 are 14..19); 0 is "none",
   * as D0 carries the serial link and is never a motor pin. drv PD: rot is the speed PWM and cw/ccw
   * the direction pins (HIGH turns that way); drv 2P: rot is 0 and cw/ccw are the PWM pins of each
   * direction. stby: the driver's standby pin. pwmHz: the motor PWM frequency.
   */
  PN: {
    from: "device",
    seq: true,
    fields: [
      oneOf("drv", DRIVERS),
      uint("vib", 0, MAX_PIN),
      uint("rot", 0, MAX_PIN),
      uint("cw", 0, MAX_PIN),
      uint("ccw", 0, MAX_PIN),
      uint("stby", 0, MAX_PIN),
      uint("pwmHz", 1, 65_535),
    ],
  },
} as const satisfies Record<string, CommandDef>;

export type CommandName = keyof typeof COMMANDS;
export type HostCommandName = {
  [K in CommandName]: (typeof COMMANDS)[K]["from"] extends "host" ? K : never;
}[CommandName];
export type DeviceCommandName = Exclude<CommandName, HostCommandName>;

type FieldsOf<T extends readonly Field[]> = { -readonly [F in T[number] as F["name"]]: FieldValue<F> };
type SeqOf<C extends CommandDef> = C["seq"] extends true ? { seq: number } : unknown;

/** The decoded form of one frame, derived from its row in COMMANDS. */
export type MessageOf<K extends CommandName> = { type: K } & SeqOf<(typeof COMMANDS)[K]> &
  FieldsOf<(typeof COMMANDS)[K]["fields"]>;

export type Message = { [K in CommandName]: MessageOf<K> }[CommandName];
export type HostMessage = { [K in HostCommandName]: MessageOf<K> }[HostCommandName];
export type DeviceMessage = { [K in DeviceCommandName]: MessageOf<K> }[DeviceCommandName];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
