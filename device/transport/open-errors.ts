/**
 * Turns the errors a serial port or socket gives on open into MassagerErrors that name the
 * problem and the fix. The texts come from the OS via the bindings (e.g. "Error: Permission
 * denied, cannot open /dev/ttyUSB0", "Error Resource temporarily unavailable Cannot lock port").
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

export function serialOpenError(path: string, error: unknown): MassagerError {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === "ENOENT" || /no such file|does not exist|ENOENT/i.test(text)) {
    return new MassagerError(ErrorCode.PortNotFound, `serial:${path}: no such port`, {
      hint: "plug the massager in and run `massager ports` to see the ports this machine has",
      cause: error,
    });
  }
  if (code === "EACCES" || /permission denied|EACCES/i.test(text)) {
    return new MassagerError(ErrorCode.PermissionDenied, `serial:${path}: permission denied`, {
      hint: "add yourself to the port's group (`sudo usermod -aG dialout $USER`, then log in again) or install a udev rule; `massager doctor` explains",
      cause: error,
    });
  }
  if (/lock|busy|EBUSY|resource temporarily unavailable/i.test(text)) {
    return new MassagerError(ErrorCode.PortBusy, `serial:${path}: the port is in use by another program`, {
      hint: "close the other program using it (a serial monitor, another massager command), then try again",
      cause: error,
    });
  }
  return new MassagerError(ErrorCode.TransportFailed, `serial:${path}: cannot open the port: ${text}`, {
    hint: "check the cable and the port name (`massager ports`)",
    cause: error,
  });
}

export function tcpOpenError(host: string, port: number, error: unknown): MassagerError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
    return new MassagerError(
      ErrorCode.PortNotFound,
      `tcp:${host}:${port}: nothing is listening there (${String(code)})`,
      {
        hint: "start the simulator with `massager simulate --tcp PORT`, or check the host and port",
        cause: error,
      },
    );
  }
  return new MassagerError(ErrorCode.TransportFailed, `tcp:${host}:${port}: cannot connect: ${text}`, {
    hint: "check the host, the port and the network",
    cause: error,
  });
}
