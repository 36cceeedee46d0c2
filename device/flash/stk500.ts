/**
 * A small STK500v1 client: the subset Optiboot and the old ATmegaBOOT answer, over any byte
 * link (a serial port in use, a fake bootloader in tests). Every request ends with
 * CRC_EOP (0x20); every answer is STK_INSYNC (0x14), its data, then STK_OK (0x10).
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import { type AnswerTimeout, answerTimeout } from "../answer-timeout.ts";
import { RealClock } from "../clock.ts";

const REAL_CLOCK = new RealClock();

const STK = {
  OK: 0x10,
  FAILED: 0x11,
  INSYNC: 0x14,
  NOSYNC: 0x15,
  CRC_EOP: 0x20,
  GET_SYNC: 0x30,
  GET_PARAMETER: 0x41,
  ENTER_PROGMODE: 0x50,
  LEAVE_PROGMODE: 0x51,
  LOAD_ADDRESS: 0x55,
  PROG_PAGE: 0x64,
  READ_PAGE: 0x74,
  READ_SIGN: 0x75,
  FLASH: 0x46, // 'F'
} as const;

/** The bytes the client needs from a link. */
export interface ByteLink {
  write(bytes: Uint8Array): Promise<void>;
  /** Registers a listener for received bytes; returns a function that removes it. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
}

export interface Stk500Options {
  /** How long one answer may take, ms. Default 1000. */
  replyTimeoutMs?: number;
}

/** Raised for a bootloader that stopped answering or answered out of sync. */
function protocolError(message: string): MassagerError {
  return new MassagerError(ErrorCode.FlashFailed, message, {
    hint: "press the board's reset button and flash again; check --board (uno 115200 baud, nano 57600)",
  });
}

export class Stk500Client {
  private buffer = new Uint8Array(0);
  private notify: (() => void) | undefined;
  private readonly detach: () => void;
  private readonly replyTimeoutMs: number;

  constructor(
    private readonly link: ByteLink,
    options: Stk500Options = {},
  ) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? 1_000;
    this.detach = link.onData((chunk) => {
      const joined = new Uint8Array(this.buffer.length + chunk.length);
      joined.set(this.buffer);
      joined.set(chunk, this.buffer.length);
      this.buffer = joined;
      this.notify?.();
    });
  }

  /** Stops listening to the link. */
  dispose(): void {
    this.detach();
  }

  /**
   * Repeats GET_SYNC until the bootloader answers, for at most `timeoutMs` (a bootloader
   * listens for about a second after a reset, after its LED flashes). Resolves true once in sync.
   */
  async sync(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.buffer = new Uint8Array(0);
      await this.link.write(Uint8Array.of(STK.GET_SYNC, STK.CRC_EOP));
      const reply = await this.take(2, Math.min(150, Math.max(1, deadline - Date.now()))).catch(() => undefined);
      if (reply?.[0] === STK.INSYNC && reply[1] === STK.OK) {
        // Earlier GET_SYNCs may still be answered: let them arrive, drop them, and sync once more.
        await new Promise((resolve) => setTimeout(resolve, 50));
        this.buffer = new Uint8Array(0);
        const confirm = await this.command([STK.GET_SYNC, STK.CRC_EOP], 0).catch(() => undefined);
        if (confirm) return true;
      }
    }
    return false;
  }

  async readSignature(): Promise<number[]> {
    return [...(await this.command([STK.READ_SIGN, STK.CRC_EOP], 3))];
  }

  async getParameter(parameter: number): Promise<number> {
    return (await this.command([STK.GET_PARAMETER, parameter, STK.CRC_EOP], 1))[0] ?? 0;
  }

  async enterProgMode(): Promise<void> {
    await this.command([STK.ENTER_PROGMODE, STK.CRC_EOP], 0);
  }

  /** Leaves programming mode: Optiboot then resets into the application. */
  async leaveProgMode(): Promise<void> {
    await this.command([STK.LEAVE_PROGMODE, STK.CRC_EOP], 0);
  }

  /** Writes one flash page at byte address `address`. */
  async writePage(address: number, data: Uint8Array): Promise<void> {
    await this.loadAddress(address);
    const frame = new Uint8Array(data.length + 5);
    frame.set([STK.PROG_PAGE, data.length >> 8, data.length & 0xff, STK.FLASH]);
    frame.set(data, 4);
    frame[frame.length - 1] = STK.CRC_EOP;
    await this.command(frame, 0);
  }

  /** Reads `length` bytes of flash from byte address `address`. */
  async readPage(address: number, length: number): Promise<Uint8Array> {
    await this.loadAddress(address);
    return this.command([STK.READ_PAGE, length >> 8, length & 0xff, STK.FLASH, STK.CRC_EOP], length);
  }

  private async loadAddress(address: number): Promise<void> {
    const word = address >> 1; // STK500v1 addresses flash in 16-bit words
    await this.command([STK.LOAD_ADDRESS, word & 0xff, word >> 8, STK.CRC_EOP], 0);
  }

  /** Sends one request and returns the data between INSYNC and OK. */
  private async command(request: ArrayLike<number>, dataLength: number): Promise<Uint8Array> {
    await this.link.write(Uint8Array.from(request));
    const first = (await this.take(1, this.replyTimeoutMs))[0];
    if (first === STK.NOSYNC) throw protocolError("the bootloader lost sync (it answered NOSYNC)");
    if (first !== STK.INSYNC)
      throw protocolError(`the bootloader answered 0x${(first ?? 0).toString(16)} instead of INSYNC`);
    const rest = await this.take(dataLength + 1, this.replyTimeoutMs);
    const last = rest[dataLength];
    if (last === STK.FAILED) throw protocolError("the bootloader refused a request (STK_FAILED)");
    if (last !== STK.OK) throw protocolError("the bootloader's answer did not end with STK_OK");
    return rest.slice(0, dataLength);
  }

  /** Waits for `count` received bytes and removes them from the buffer. */
  private take(count: number, timeoutMs: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      let timer: AnswerTimeout | undefined;
      const check = (): boolean => {
        if (this.buffer.length < count) return false;
        const taken = this.buffer.slice(0, count);
        this.buffer = this.buffer.slice(count);
        timer?.cancel();
        this.notify = undefined;
        resolve(taken);
        return true;
      };
      if (check()) return;
      // Late timers (a stalled event loop) read the bytes that came meanwhile first: ../answer-timeout.ts.
      timer = answerTimeout(REAL_CLOCK, timeoutMs, () => {
        this.notify = undefined;
        reject(
          new MassagerError(ErrorCode.Timeout, `the bootloader did not answer within ${timeoutMs} ms`, {
            hint: "press the board's reset button and flash again; check --board (uno 115200 baud, nano 57600)",
          }),
        );
      });
      this.notify = () => void check();
    });
  }
}
