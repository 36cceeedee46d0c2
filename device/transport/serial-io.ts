/**
 * Serial reads and writes on the event loop's own thread (Linux, macOS). serialport reads and
 * writes through the libuv thread pool (fs.read, fs.write), twice per chunk that arrives (the
 * read, then the EAGAIN that re-arms its poller): each a thread to wake and a hand-back to the
 * loop, most of what a controller spends on a device's telemetry, and on a loaded machine a
 * scheduling delay before a stop byte is seen. The binding opens the port non-blocking
 * (O_NONBLOCK), so a read or write here returns at once; on EAGAIN it waits for the binding's
 * poller, as serialport's own read and write do.
 */
import { readSync, writeSync } from "node:fs";

/** What a Linux or macOS port binding of serialport has (LinuxPortBinding, DarwinPortBinding). */
interface UnixPortBinding {
  readonly isOpen: boolean;
  fd: number | null;
  readonly poller: {
    once(event: "readable" | "writable", callback: (error: Error | null) => void): unknown;
  };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  /** The write in progress, which the binding's drain() awaits. */
  writeOperation: Promise<void> | null;
}

/** Makes an opened port binding read and write on the loop's thread; leaves any other binding (Windows, the mock) as it is. */
export function ioOnLoopThread(binding: unknown): void {
  if (process.platform === "win32" || !isUnixPortBinding(binding)) return;
  binding.read = (buffer, offset, length) => readNow(binding, buffer, offset, length);
  binding.write = (buffer) => {
    if (!binding.isOpen) return Promise.reject(new Error("Port is not open"));
    const operation = writeNow(binding, buffer).finally(() => {
      if (binding.writeOperation === operation) binding.writeOperation = null;
    });
    binding.writeOperation = operation;
    return operation;
  };
}

function isUnixPortBinding(binding: unknown): binding is UnixPortBinding {
  const candidate = binding as Partial<UnixPortBinding> | undefined;
  return (
    typeof candidate?.fd === "number" &&
    typeof candidate.read === "function" &&
    typeof candidate.write === "function" &&
    typeof candidate.poller?.once === "function"
  );
}

/** Bytes read at a time by readOnLoopThread(): a chunk shorter than this drained the port. */
const READ_SIZE = 4096;

/**
 * Reads an opened port binding straight into `onChunk` (a reused buffer: use it before
 * returning), on the loop's thread, for as long as the port is open: past serialport's stream,
 * whose machinery (its pool, push, read and data events, a promise per read) was most of what a
 * controller spent on each telemetry frame. `onFailure` gets a read error that is no EAGAIN (the
 * device is gone). False, doing nothing, for any other binding (Windows, the mock).
 */
export function readOnLoopThread(
  binding: unknown,
  onChunk: (chunk: Buffer) => void,
  onFailure: (error: Error) => void,
): boolean {
  if (process.platform === "win32" || !isUnixPortBinding(binding)) return false;
  const port = binding;
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  const drain = (): void => {
    for (;;) {
      const fd = port.fd;
      if (!port.isOpen || fd === null) return; // closed: the reading ends with it
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, buffer, 0, READ_SIZE, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN" || code === "EWOULDBLOCK" || code === "EINTR") port.poller.once("readable", onReadable);
        else onFailure(error as Error); // EBADF, ENXIO, EIO: gone
        return;
      }
      if (bytesRead > 0) onChunk(buffer.subarray(0, bytesRead));
      // A short read emptied the port (no EAGAIN thrown and caught to learn it); a full one may not have.
      if (bytesRead < READ_SIZE) {
        port.poller.once("readable", onReadable);
        return;
      }
    }
  };
  const onReadable = (error: Error | null): void => {
    // A cancelled poller is a port being closed; any other error is a failure.
    if (error) {
      if (!(error as { canceled?: boolean }).canceled) onFailure(error);
      return;
    }
    drain();
  };
  drain();
  return true;
}

async function readNow(
  binding: UnixPortBinding,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    const fd = binding.fd;
    // `canceled`: the stream takes it for a port being closed, not for a lost device.
    if (!binding.isOpen || fd === null) throw Object.assign(new Error("Port is not open"), { canceled: true });
    let bytesRead = 0;
    try {
      bytesRead = readSync(fd, buffer, offset, length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") throw error; // EBADF, ENXIO, EIO: gone
    }
    if (bytesRead > 0) return { buffer, bytesRead };
    await ready(binding, "readable");
  }
}

async function writeNow(binding: UnixPortBinding, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const fd = binding.fd;
    if (!binding.isOpen || fd === null) throw new Error("Port is not open");
    try {
      offset += writeSync(fd, buffer, offset, buffer.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") throw error;
      await ready(binding, "writable"); // the output buffer is full: a long upload on a slow line
    }
  }
}

function ready(binding: UnixPortBinding, event: "readable" | "writable"): Promise<void> {
  return new Promise((resolve, reject) => {
    binding.poller.once(event, (error) => (error ? reject(error) : resolve()));
  });
}
