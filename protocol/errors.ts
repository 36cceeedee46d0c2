/**
 * One error type for the whole project, with numbered codes grouped by layer.
 * The 1xx and 2xx codes travel on the wire in `ER` frames and are listed in PROTOCOL.md;
 * the others only exist on the host.
 */
export const ErrorCode = {
  // 1xx: wire format (device and host decoders)
  BadChecksum: 100,
  LineTooLong: 101,
  UnknownCommand: 102,
  BadArguments: 103,
  OutOfRange: 104,
  MissingChecksum: 105,
  // 2xx: device state and capabilities
  BadState: 200,
  ProgramTooLarge: 201,
  ProgramIncomplete: 202,
  IncompatibleVersion: 203,
  NotSupported: 204,
  // 3xx: transport (host only)
  PortNotFound: 300,
  PortBusy: 301,
  PermissionDenied: 302,
  Disconnected: 303,
  Timeout: 304,
  TransportFailed: 305,
  BluetoothUnavailable: 306,
  /** A queued line was dropped before it was sent (a newer setpoint or a stop replaced it). */
  SendSuperseded: 307,
  // 4xx: controller and session (host only)
  HandshakeFailed: 400,
  DeviceError: 401,
  SessionAborted: 402,
  NoPinMap: 403,
  /** play() while a session is already playing. */
  SessionInProgress: 410,
  /** A session command before connect() succeeded. */
  NotConnected: 411,
  /** setIntensity() while the device (firmware 1.0) or the session has no live intensity (GAIN). */
  NoLiveIntensity: 412,
  /** A session longer than the device allows in one session (its ID maxSessionS). */
  SessionTooLong: 413,
  // 5xx: firmware and flashing (host only)
  FlashFailed: 500,
  VerifyFailed: 501,
  FirmwareMissing: 502,
  /** The firmware (or its native test build) could not be compiled: a missing toolchain or a compile error. */
  FirmwareBuildFailed: 503,
  /** The emulated board (the simavr harness) could not be built or started. */
  EmulatorFailed: 510,
  // 6xx: patterns, files and the app (host only)
  PatternNotFound: 600,
  InvalidPattern: 601,
  FileUnreadable: 602,
  InvalidOption: 603,
  Unauthorized: 604,
  /** A file could not be written (a full disk, a read-only folder); 602 is for reading. */
  FileUnwritable: 605,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const codeNames = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));

/** The symbolic name of a code, e.g. `BadChecksum` for 100; `Unknown` for codes this build does not know. */
export function errorCodeName(code: number): string {
  return codeNames.get(code) ?? "Unknown";
}

/** True when `code` is one of the codes that may travel on the wire (1xx and 2xx). */
export function isWireErrorCode(code: number): boolean {
  return codeNames.has(code) && code >= 100 && code < 300;
}

/** The numeric code of an error that carries one: a MassagerError, or an API error as the UI receives it. */
function codeOf(error: unknown): number | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "number" ? code : undefined;
}

/**
 * The device answered and refused: an `ER` code, 1xx (the frame) or 2xx (its state or
 * capabilities). Any such code counts, also one this build does not name (a newer firmware's).
 */
export function isDeviceRefusal(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && code >= 100 && code < 300;
}

/** The link failed, not the device: a 3xx transport error (no port, busy, lost, timed out, ...). */
export function isTransmissionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && code >= 300 && code < 400;
}

/** Something on the host got in the way: a 6xx (a pattern, a file, an option, the app's own access). */
export function isHostError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && code >= 600 && code < 700;
}

/**
 * The project's single error class. `message` already names the code, so it can be
 * shown to a person as is; `hint` says how to fix it, where there is a fix.
 */
export class MassagerError extends Error {
  override readonly name = "MassagerError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`${message} (E${code} ${errorCodeName(code)})`, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

export function isMassagerError(value: unknown, code?: ErrorCode): value is MassagerError {
  return value instanceof MassagerError && (code === undefined || value.code === code);
}
