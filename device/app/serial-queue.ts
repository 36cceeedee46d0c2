/**
 * Runs async tasks one at a time, in the order they were queued. AppCore puts connecting,
 * starting, stopping and closing through one queue so that at every moment exactly one party
 * owns the device: two starts sent together (two phones, a double tap) become one start and one
 * refusal, never two controllers or a session the status does not know about.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private depth = 0;

  /** Runs `task` once every task queued before it has settled; resolves or rejects as it does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.depth++;
    const result = this.tail.then(task);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.tail = settled;
    void settled.then(() => {
      this.depth--;
    });
    return result;
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.depth;
  }
}
