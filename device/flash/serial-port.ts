/**
 * Opens a serial port (serialport 13) for the flasher and the Firmata bridge, with the
 * failures a person can fix turned into MassagerErrors that say how.
 */
import { SerialPort } from "serialport";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

/** Maps an open failure of `path` to PortNotFound, PortBusy, PermissionDenied or TransportFailed. */
export function serialOpenError(path: string, error: unknown): MassagerError {
  const text = error instanceof Error ? error.message : String(error);
  if (/ENOENT|No such file|cannot open/i.test(text)) {
    return new MassagerError(ErrorCode.PortNotFound, `no serial port at ${path}`, {
      hint: "plug the board in and check the path (ls /dev/ttyUSB* /dev/ttyACM*)",
      cause: error,
    });
  }
  if (/EBUSY|resource busy|lock/i.test(text)) {
    return new MassagerError(ErrorCode.PortBusy, `the serial port ${path} is in use by another program`, {
      hint: "close the other program (a serial monitor, another massager) and try again",
      cause: error,
    });
  }
  if (/EACCES|permission denied/i.test(text)) {
    return new MassagerError(ErrorCode.PermissionDenied, `no permission to open ${path}`, {
      hint: "add yourself to the dialout group (sudo usermod -aG dialout $USER), then log out and in",
      cause: error,
    });
  }
  return new MassagerError(ErrorCode.TransportFailed, `cannot open the serial port ${path}: ${text}`, { cause: error });
}

/** Opens `path` at `baudRate`; rejects with a MassagerError naming the fix. */
export async function openSerialPort(path: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: true });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => (error ? reject(serialOpenError(path, error)) : resolve()));
  });
  return port;
}

/** Waits until everything written has reached the OS, then closes; never rejects. */
export async function drainAndClose(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.drain(() => resolve()));
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}
