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
