/**
 * A bare host on a serial port (the emulated board's pty): sends frames with running sequence
 * numbers and collects every line, for tests that must control each byte (silence, garbage).
 */
import { ReadlineParser } from "@serialport/parser-readline";
import { SerialPort } from "serialport";
import { encode, type HostMessage } from "../../../protocol/index.ts";

type WithoutSeq<T> = T extends unknown ? Omit<T, "seq"> : never;

export class RawHost {
  readonly lines: string[] = [];
  private seq = 1;
  private waiters: Array<() => void> = [];

  private constructor(private readonly port: SerialPort) {
    const parser = port.pipe(new ReadlineParser({ delimiter: "\n", encoding: "latin1" }));
    parser.on("data", (line: string) => {
      this.lines.push(line);
      for (const wake of this.waiters) wake();
    });
  }

  static async open(path: string): Promise<RawHost> {
    // No exclusive lock: the controller under test opens the same pty right after this host lets go.
    const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false, lock: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    return new RawHost(port);
  }

  /** Sends a request; returns its sequence number. */
  send(message: WithoutSeq<HostMessage>): Promise<number> {
    const seq = this.seq++;
    return this.write(`${encode({ ...message, seq } as HostMessage)}\n`).then(() => seq);
  }

  /** Writes bytes as they are and waits until they have left. */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(data, (error) => (error ? reject(error) : this.port.drain(() => resolve())));
    });
  }

  /**
   * Resolves with the first line (from index `since`) that matches, or rejects after `timeoutMs`:
   * long by default, as a loaded machine may delay the host and the paced emulator by seconds.
   */
  async waitFor(match: (line: string) => boolean, timeoutMs = 15_000, since = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(since).find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching line within ${timeoutMs} ms; last lines: ${this.lines.slice(-5).join(" | ")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
      this.waiters = [];
    }
  }

  /** Handshakes: HELLO until ID (the port may have missed the boot frame, and bytes sent during boot). */
  async hello(timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const since = this.lines.length;
      await this.send({ type: "HELLO", proto: 1 });
      try {
        return await this.waitFor((line) => line.startsWith("ID "), 500, since);
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
