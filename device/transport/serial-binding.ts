/**
 * serialport's native binding with a leaner read and write path where the port is a
 * non-blocking file descriptor with a poller (Linux, macOS). The library reads through the
 * thread pool and, once a line is in, reads again at once: that second read nearly always ends
 * in EAGAIN, an error object, and a wait for the poller. Per received line that is two
 * thread-pool round trips and three wake-ups of the event loop; writes take one more trip.
 *
 * Here a read first waits for the poller's `readable`, then reads on the spot (the descriptor
 * is non-blocking, so it cannot stall the loop); a write writes on the spot and waits for
 * `writable` only when the kernel's buffer is full. Same binding interface, same errors for a
 * closed or lost port; a port without a descriptor and poller (Windows, the mock binding) is
 * left exactly as the binding made it.
 */
import { readSync, writeSync } from "node:fs";
import type { SerialPortStream } from "@serialport/stream";

/** A serialport binding: the native one, or `@serialport/binding-mock` in tests. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]["binding"];

type BindingPort = Awaited<ReturnType<SerialBinding["open"]>>;

/** What the unix ports of `@serialport/bindings-cpp` carry besides the interface. */
interface UnixPort {
  fd: number | null;
  poller: { once(event: "readable" | "writable", callback: (error: Error | null) => void): unknown };
  writeOperation?: Promise<void> | null;
}

function isUnixPort(port: object): port is UnixPort {
  const candidate = port as Partial<UnixPort>;
  return typeof candidate.fd === "number" && typeof candidate.poller?.once === "function";
}

/** `binding` with ports that read and write without the thread pool (where they can). */
export function nonBlockingBinding(binding: SerialBinding): SerialBinding {
  return {
    list: () => binding.list(),
    open: async (options) => {
      const port = await binding.open(options);
      if (isUnixPort(port)) readAndWriteInPlace(port, port);
      return port;
    },
  };
}

function readAndWriteInPlace(port: BindingPort, unix: UnixPort): void {
  const wait = (event: "readable" | "writable") =>
    new Promise<void>((resolve, reject) => {
      // The poller fails every waiter with a `canceled` error when the port closes.
      unix.poller.once(event, (error) => (error ? reject(error) : resolve()));
    });
  const openFd = (): number => {
    if (unix.fd === null) throw Object.assign(new Error("Port is not open"), { canceled: true });
    return unix.fd;
  };

  port.read = async (buffer, offset, length) => {
    for (;;) {
      await wait("readable");
      try {
        const bytesRead = readSync(openFd(), buffer, offset, length, null);
        // At least one byte, as the interface promises; 0 waits again, as the library retries.
        if (bytesRead > 0) return { buffer, bytesRead };
      } catch (error) {
        if (!tryAgain(error)) throw error;
      }
    }
  };

  port.write = (buffer) => {
    const operation = (async () => {
      let offset = 0;
      while (offset < buffer.length) {
        try {
          offset += writeSync(openFd(), buffer, offset);
        } catch (error) {
          if (!tryAgain(error)) throw error;
          await wait("writable");
        }
      }
    })();
    // drain() waits for the write in progress, as it does with the library's own write.
    if ("writeOperation" in unix) {
      unix.writeOperation = operation;
      const clear = () => {
        if (unix.writeOperation === operation) unix.writeOperation = null;
      };
      operation.then(clear, clear);
    }
    return operation;
  };
}

/** The descriptor has nothing to give or no room to take right now: wait for the poller. */
function tryAgain(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EAGAIN" || code === "EWOULDBLOCK" || code === "EINTR";
}
