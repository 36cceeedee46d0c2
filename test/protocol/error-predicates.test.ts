/** isDeviceRefusal / isTransmissionError / isHostError: which layer an error comes from, said once (protocol/errors.ts). */
import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeFor } from "../../device/cli/exit-codes.ts";
import { ErrorCode, isDeviceRefusal, isHostError, isTransmissionError, MassagerError } from "../../protocol/errors.ts";

const error = (code: number) => new MassagerError(code as ErrorCode, "test");

describe("error predicates", () => {
  it("a device refusal is any ER code, 1xx or 2xx, also one this build does not name", () => {
    for (const code of [ErrorCode.BadChecksum, ErrorCode.BadState, ErrorCode.NotSupported, 250]) {
      expect(isDeviceRefusal(error(code)), String(code)).toBe(true);
      expect(isTransmissionError(error(code)), String(code)).toBe(false);
    }
  });

  it("a transmission error is a 3xx transport code", () => {
    for (const code of [ErrorCode.PortNotFound, ErrorCode.Disconnected, ErrorCode.Timeout, ErrorCode.SendSuperseded]) {
      expect(isTransmissionError(error(code)), String(code)).toBe(true);
      expect(isDeviceRefusal(error(code)), String(code)).toBe(false);
    }
  });

  it("a host error is a 6xx: a pattern, a file, an option, the app's own access", () => {
    for (const code of [ErrorCode.PatternNotFound, ErrorCode.FileUnreadable, ErrorCode.Unauthorized, 699]) {
      expect(isHostError(error(code)), String(code)).toBe(true);
    }
    for (const code of [ErrorCode.Disconnected, ErrorCode.BadState, ErrorCode.FlashFailed, 700]) {
      expect(isHostError(error(code)), String(code)).toBe(false);
    }
    expect(isHostError({ code: 604, message: "wrong token" })).toBe(true);
    expect(isHostError("604")).toBe(false);
  });

  it("host-side codes, API errors as the UI gets them, and other values", () => {
    for (const code of [ErrorCode.HandshakeFailed, ErrorCode.FlashFailed, ErrorCode.InvalidOption]) {
      expect(isDeviceRefusal(error(code)) || isTransmissionError(error(code)), String(code)).toBe(false);
    }
    expect(isTransmissionError({ code: 304, message: "no reply" })).toBe(true);
    expect(isDeviceRefusal({ code: 200, message: "bad state" })).toBe(true);
    for (const value of [undefined, null, "303", 303, new Error("x"), { code: "ENOENT" }]) {
      expect(isTransmissionError(value) || isDeviceRefusal(value), String(value)).toBe(false);
    }
  });

  it("exit codes keep their meaning: a refusal or a lost link is the device's failure, no port is unreachable", () => {
    expect(exitCodeFor(error(ErrorCode.BadState))).toBe(ExitCode.DeviceFailed);
    expect(exitCodeFor(error(ErrorCode.Disconnected))).toBe(ExitCode.DeviceFailed);
    expect(exitCodeFor(error(ErrorCode.Timeout))).toBe(ExitCode.DeviceFailed);
    expect(exitCodeFor(error(ErrorCode.PortNotFound))).toBe(ExitCode.Unreachable);
    expect(exitCodeFor(error(ErrorCode.PatternNotFound))).toBe(ExitCode.NotFound);
    expect(exitCodeFor(new Error("bug"))).toBe(ExitCode.Internal);
  });
});
