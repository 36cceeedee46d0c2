/**
 * The BLE link's outgoing queue. A BLE link carries a few kilobytes a second at best and may
 * stall for a connection interval or two, so lines must not pile up behind a slow write:
 *
 * - one line is written at a time (its MTU-sized pieces back to back);
 * - `ESTOP` and `STOP` jump ahead of everything waiting, and discard waiting setpoints;
 * - a waiting `SET` is replaced by a newer one: only the latest setpoint matters;
 * - at most `maxPending` other lines wait; beyond that, send() refuses at once.
 *
 * A line dropped from the queue rejects its send() with SendSuperseded, so its caller knows
 * it never left.
 */
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";

type Kind = "urgent" | "setpoint" | "normal";

interface Pending {
  line: string;
  kind: Kind;
  resolve: () => void;
  reject: (error: MassagerError) => void;
}

/** How a line is treated, from its command name. */
export function lineKind(line: string): Kind {
  const space = line.indexOf(" ");
  const name = space < 0 ? line : line.slice(0, space);
  if (name === "ESTOP" || name === "STOP") return "urgent";
  if (name === "SET") return "setpoint";
  return "normal";
}

export class SendQueue {
  private readonly pending: Pending[] = [];
  private writing = false;
  private closedWith: MassagerError | undefined;

  /**
   * @param write writes one whole line; the next starts only when it settles.
   * @param maxPending most lines waiting besides urgent ones (the one being written not counted).
   */
  constructor(
    private readonly write: (line: string) => Promise<void>,
    private readonly maxPending: number,
    private readonly description: string,
  ) {}

  /** Lines waiting to be written (not counting the one in flight). */
  get waiting(): number {
    return this.pending.length;
  }

  /** Queues a line; resolves once it is written, rejects if it was dropped or the write failed. */
  send(line: string): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const kind = lineKind(line);
    return new Promise<void>((resolve, reject) => {
      const item: Pending = { line, kind, resolve, reject };
      if (kind === "urgent") {
        this.dropWhere((p) => p.kind === "setpoint", "an emergency or soft stop was sent ahead of it");
        const firstOrdinary = this.pending.findIndex((p) => p.kind !== "urgent");
        this.pending.splice(firstOrdinary < 0 ? this.pending.length : firstOrdinary, 0, item);
      } else if (kind === "setpoint" && this.pending.some((p) => p.kind === "setpoint")) {
        const index = this.pending.findIndex((p) => p.kind === "setpoint");
        this.pending[index]?.reject(this.superseded("a newer setpoint replaced it"));
        this.pending[index] = item;
      } else if (this.pending.filter((p) => p.kind !== "urgent").length >= this.maxPending) {
        reject(
          new MassagerError(
            ErrorCode.TransportFailed,
            `${this.description}: the BLE link is not keeping up (${this.pending.length} lines waiting)`,
            { hint: "move the massager closer to the computer, or away from other 2.4 GHz sources" },
          ),
        );
        return;
      } else {
        this.pending.push(item);
      }
      this.pump();
    });
  }

  /** Rejects everything waiting with `error` and refuses later sends (the link is gone). */
  close(error: MassagerError): void {
    this.closedWith = error;
    for (const item of this.pending.splice(0)) item.reject(error);
  }

  private pump(): void {
    if (this.writing) return;
    const item = this.pending.shift();
    if (item === undefined) return;
    this.writing = true;
    this.write(item.line).then(
      () => {
        this.writing = false;
        item.resolve();
        this.pump();
      },
      (error: unknown) => {
        this.writing = false;
        item.reject(
          error instanceof MassagerError
            ? error
            : new MassagerError(ErrorCode.TransportFailed, `${this.description}: write failed: ${String(error)}`, {
                cause: error,
              }),
        );
        this.pump();
      },
    );
  }

  private dropWhere(test: (item: Pending) => boolean, why: string): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const item = this.pending[i];
      if (item && test(item)) {
        this.pending.splice(i, 1);
        item.reject(this.superseded(why));
      }
    }
  }

  private superseded(why: string): MassagerError {
    return new MassagerError(ErrorCode.SendSuperseded, `${this.description}: a setpoint was not sent: ${why}`);
  }
}
