/**
 * Opens a serial port (serialport 13) for the flasher and the Firmata bridge, with the
 * failures a person can fix turned into MassagerErrors that say how (the mapping SerialTransport uses).
 */
import type { SerialPort } from "serialport";
import { serialOpenError } from "./open-errors.ts";

/** Opens `path` at `baudRate`; rejects with a MassagerError naming the fix. */
export async function openSerialPort(path: string, baudRate: number): Promise<SerialPort> {
  // Loaded on first use: the commands that import this module only for drainAndClose's type need none of it.
  const { SerialPort } = await import("serialport");
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
