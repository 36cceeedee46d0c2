/** The `massager` command's exit codes, documented in the README. */
import { ErrorCode, isHostError, isMassagerError, isTransmissionError } from "../../protocol/errors.ts";

export const ExitCode = {
  Ok: 0,
  /** Invalid input: a pattern file, an option value. */
  InvalidInput: 1,
  /** The command line itself was wrong (commander's own code). */
  Usage: 2,
  /** An unknown pattern or routine id, or a missing file. */
  NotFound: 3,
  /** The device could not be reached: no such port, busy, no permission, no Bluetooth. */
  Unreachable: 4,
  /** The device was reached but failed: no or wrong handshake, refused a request, went away mid-session. */
  DeviceFailed: 5,
  /** Building or flashing firmware failed. */
  FirmwareFailed: 6,
  /** A bug: an error the program did not expect. */
  Internal: 70,
  /** Stopped by Ctrl-C or SIGTERM, after the motors were stopped. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Maps an error to the exit code its layer stands for. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!isMassagerError(error)) return ExitCode.Internal;
  const code: ErrorCode = error.code;
  if (code === ErrorCode.PatternNotFound || code === ErrorCode.FileUnreadable) return ExitCode.NotFound;
  // Longer than the device allows in one session: refused before anything moves, a value to change.
  if (code === ErrorCode.SessionTooLong) return ExitCode.InvalidInput;
  // A firmata: device without --pins: an option the command line lacks, not a device that failed.
  if (code === ErrorCode.NoPinMap) return ExitCode.InvalidInput;
  if (isHostError(error)) return ExitCode.InvalidInput;
  if (code >= 500) return ExitCode.FirmwareFailed;
  if (code >= 400) return ExitCode.DeviceFailed;
  // Reached, then lost or silent: the device failed, rather than could not be reached.
  if (code === ErrorCode.Disconnected || code === ErrorCode.Timeout) return ExitCode.DeviceFailed;
  if (isTransmissionError(error)) return ExitCode.Unreachable;
  return ExitCode.DeviceFailed; // a device refusal (isDeviceRefusal: 1xx, 2xx)
}
