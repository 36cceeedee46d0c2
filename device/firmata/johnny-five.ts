/**
 * Typed access to the two CommonJS libraries of the Firmata path: firmata-io (the Firmata
 * protocol over a transport we open ourselves, so no second serialport is loaded) and
 * johnny-five (Board around that io, and Motor). Only what the bridge uses is typed.
 */
import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";

/** A firmata-io board. */
export interface FirmataIo extends EventEmitter {
  isReady: boolean;
  firmware: { name: string; version: { major: number; minor: number } };
  /** Serial writes queued in the transport, not yet handed to the OS. */
  pending: number;
  reset(): void;
  /** Sets a pin's mode (1: digital output). */
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: 0 | 1): void;
}

export interface FirmataIoOptions {
  /** How long to wait for the board's own version report before asking for it, ms. */
  reportVersionTimeout: number;
}

/** The transport firmata-io drives: an open serialport stream. */
export interface FirmataTransportLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  write(data: Buffer, callback?: (error?: Error | null) => void): unknown;
}

export type FirmataIoConstructor = new (transport: FirmataTransportLike, options: FirmataIoOptions) => FirmataIo;

/** A johnny-five Board. */
export interface FiveBoard extends EventEmitter {
  isReady: boolean;
  /** The Firmata io the board was made with. */
  io: FirmataIo;
}

export interface FiveBoardOptions {
  io: FirmataIo;
  /** johnny-five starts a REPL on stdin unless told not to. */
  repl: false;
  /** johnny-five logs to the console unless told not to. */
  debug: false;
  /** johnny-five installs a SIGINT handler that exits the process unless told not to. */
  sigint: false;
  /** ms before johnny-five reports a board that never got ready. */
  timeout: number;
}

/** A johnny-five Motor. */
export interface FiveMotor {
  forward(speed: number): FiveMotor;
  reverse(speed: number): FiveMotor;
  /** Sets the PWM speed 0..255 in the current direction. */
  speed(options: { speed: number }): FiveMotor;
  stop(): FiveMotor;
}

export interface FiveMotorOptions {
  board: FiveBoard;
  pin?: number;
  pins?: { pwm: number; dir?: number; cdir?: number };
  /** Speeds below the threshold become 0; johnny-five's default (30) would swallow slow ramps. */
  threshold: number;
}

export interface JohnnyFive {
  Board: new (options: FiveBoardOptions) => FiveBoard;
  Motor: new (options: FiveMotorOptions) => FiveMotor;
}

const require = createRequire(import.meta.url);

/** Loads firmata-io's Firmata class. */
export function loadFirmataIo(): FirmataIoConstructor {
  return (require("firmata-io") as { Firmata: FirmataIoConstructor }).Firmata;
}

/** Loads johnny-five (loading takes a moment: only the Firmata path calls this). */
export function loadJohnnyFive(): JohnnyFive {
  return require("johnny-five") as JohnnyFive;
}
