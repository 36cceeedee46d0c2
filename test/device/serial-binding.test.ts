import type { ChildProcess } from "node:child_process";
import { SerialPort, SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { startSocatPair } from "../../device/simulator/hosts.ts";
import { nonBlockingBinding, type SerialBinding } from "../../device/transport/serial-binding.ts";
import { haveCommands } from "../support/tools.ts";

const haveSocat = haveCommands("the non-blocking serial binding suite", ["socat"], "apt-get install socat");
const binding = nonBlockingBinding(SerialPort.binding);
type Port = Awaited<ReturnType<SerialBinding["open"]>>;

describe("the non-blocking serial binding", () => {
  it("leaves a port without a descriptor and poller (the mock binding) as its binding made it", async () => {
    const mock = SerialPortMock.binding;
    mock.createPort("/dev/ttyMOCK9");
    try {
      const port = await nonBlockingBinding(mock as unknown as SerialBinding).open({
        path: "/dev/ttyMOCK9",
        baudRate: 115_200,
      });
      const plain = await mock.open({ path: "/dev/ttyMOCK9", baudRate: 115_200 }).catch(() => undefined);
      expect(plain).toBeUndefined(); // the first open holds the port: it really was the mock's
      expect(Object.hasOwn(port, "read")).toBe(false);
      expect(Object.hasOwn(port, "write")).toBe(false);
      await port.close();
    } finally {
      mock.reset();
    }
  });

  describe.skipIf(!haveSocat)("over a real pseudo-terminal pair (socat)", { timeout: 20_000 }, () => {
    let socat: ChildProcess | undefined;
    const ports: Port[] = [];
    afterEach(async () => {
      for (const port of ports.splice(0)) if (port.isOpen) await port.close();
      if (socat?.pid !== undefined && socat.exitCode === null) process.kill(socat.pid, "SIGKILL");
      socat = undefined;
    });

    async function openPair(): Promise<[Port, Port]> {
      const pair = await startSocatPair();
      socat = pair.process;
      const a = await binding.open({ path: pair.devicePath, baudRate: 115_200 });
      const b = await binding.open({ path: pair.clientPath, baudRate: 115_200 });
      ports.push(a, b);
      return [a, b];
    }

    /** Counts the waits `port` starts on its poller. */
    function countPollerWaits(port: Port): { readable: number; writable: number } {
      const counts = { readable: 0, writable: 0 };
      const poller = (port as unknown as { poller: { once(event: string, callback: unknown): unknown } }).poller;
      const once = poller.once.bind(poller);
      poller.once = (event, callback) => {
        if (event === "readable" || event === "writable") counts[event]++;
        return once(event, callback);
      };
      return counts;
    }

    async function readAll(port: Port, total: number): Promise<Buffer> {
      const buffer = Buffer.alloc(total);
      let used = 0;
      while (used < total) {
        const { bytesRead } = await port.read(buffer, used, total - used);
        expect(bytesRead).toBeGreaterThan(0);
        used += bytesRead;
      }
      return buffer;
    }

    it("carries bytes both ways, in order, more than the kernel buffers at once (writes wait for room)", async () => {
      const [a, b] = await openPair();
      const big = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
      const waits = countPollerWaits(a);
      const received = readAll(b, big.length);
      await a.write(big);
      expect((await received).equals(big)).toBe(true);
      expect(waits.writable).toBeGreaterThan(0); // the kernel's buffer did fill up, and the write waited
      const reply = readAll(a, 5);
      await b.write(Buffer.from("OK 1\n", "latin1"));
      expect((await reply).toString("latin1")).toBe("OK 1\n");
    });

    it("fails a read in progress with `canceled` when the port closes (the stream does not call it a disconnect)", async () => {
      const [a] = await openPair();
      const pending = a.read(Buffer.alloc(64), 0, 64).catch((error: unknown) => error);
      await a.close();
      expect(await pending).toMatchObject({ canceled: true });
    });
  });
});
