/**
 * Time as an injected dependency, so the same controller and simulator run in real time or in
 * virtual time (a 60-minute session in well under a second, deterministically).
 */

/** An opaque handle returned by setTimeout/setInterval. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds on a monotonic scale (not wall-clock time). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  setInterval(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timeout or an interval; unknown or spent handles are ignored. */
  clearTimer(handle: TimerHandle | undefined): void;
  /** Runs `callback` soon, after the current job and in call order: how transports hand over lines. */
  defer(callback: () => void): void;
}

/** The process's clock: performance.now() and Node's timers. */
export class RealClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return performance.now();
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        callback();
      }, ms),
    );
    return { id };
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, setInterval(callback, ms));
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const timer = this.timers.get(handle.id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(handle.id);
  }

  defer(callback: () => void): void {
    setImmediate(callback);
  }
}

/** Also the handle setTimeout() returns (no second object, no map from ids to timers). */
interface VirtualTimer extends TimerHandle {
  id: number;
  /** The clock that runs it: clearTimer() ignores another clock's handle. */
  clock: VirtualClock;
  due: number;
  /** Insertion order, so timers due at the same time run in the order they were set. */
  order: number;
  intervalMs: number | undefined;
  callback: () => void;
  /** False once cleared or spent: the heap drops it when it comes to the top. */
  live: boolean;
}

/**
 * A clock that only moves when told to. Timers run in due order; between two of them the
 * microtask queue is drained, so async code awaiting replies makes progress at the virtual
 * instant it would in real time.
 *
 * Bookkeeping is cheap because a session in virtual time is mostly one interval (the device's
 * control loop) firing hundreds of thousands of times: an interval re-arms in place at the top
 * of the heap (one sift-down), and a cleared timer is only marked, not searched for.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private nextOrder = 0;
  private readonly heap: VirtualTimer[] = [];
  /** Timers set and neither spent nor cleared. */
  private liveCount = 0;
  /** Set when a timer is added or cleared by anything but an interval re-arming itself. */
  private dirty = false;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, undefined);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const timer = handle as Partial<VirtualTimer>;
    if (timer.clock !== this || !timer.live) return;
    timer.live = false;
    this.liveCount--;
    this.dirty = true;
  }

  defer(callback: () => void): void {
    this.add(callback, 0, undefined);
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.liveCount;
  }

  /** Moves time forward by `ms`, running every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.peek();
      if (next === undefined || next.due > target) break;
      if (this.fire(next)) await settle();
    }
    this.current = Math.max(this.current, target);
    await settle();
  }

  /**
   * Runs timers until `done` settles (and returns its value), or fails once `limitMs` of
   * virtual time has passed: a session that never ends is a bug, not a hang.
   */
  runUntil<T>(done: Promise<T>, limitMs = 7 * 24 * 3_600_000): Promise<T> {
    let settled = false;
    const watched = done.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    const deadline = this.current + limitMs;
    // A loop of callbacks rather than an async function awaiting settle(): the same order (a timer
    // that may have started asynchronous work is followed by a full drain: runAfterDrain), but no
    // promise, closure and await per timer, which was most of what a line handed over cost.
    return new Promise<T>((resolve, reject) => {
      let yieldAt = performance.now() + YIELD_EVERY_MS;
      let steps = 0;
      const run = (): void => {
        try {
          while (!settled) {
            // Let the real event loop breathe (signals, output, progress bars) a few times a second;
            // reading the wall clock costs too, so only every few hundred timers.
            if ((++steps & 255) === 0 && performance.now() >= yieldAt) {
              setImmediate(afterYield);
              return;
            }
            const next = this.peek();
            if (next === undefined) {
              setImmediate(whenIdle);
              return;
            }
            if (next.due > deadline)
              throw new Error(`virtual clock: still pending after ${limitMs} ms of virtual time`);
            if (this.fire(next)) {
              void RESOLVED.then(runAfterDrain);
              return;
            }
          }
          resolve(watched);
        } catch (error) {
          reject(error);
        }
      };
      const afterYield = (): void => {
        yieldAt = performance.now() + YIELD_EVERY_MS;
        run();
      };
      const whenIdle = (): void => {
        if (settled || this.peek() !== undefined) run();
        else reject(new Error("virtual clock: nothing left to run and the awaited promise is still pending"));
      };
      // After the microtasks queued now and all they queue: a nextTick queued from a microtask
      // runs only once the microtask queue is empty (Node drains microtasks, then ticks, in a
      // loop), as settle() waits; one queued from a nextTick callback would run before them.
      const runAfterDrain = (): void => {
        process.nextTick(run);
      };
      void RESOLVED.then(runAfterDrain);
    });
  }

  private add(callback: () => void, ms: number, intervalMs: number | undefined): TimerHandle {
    const timer: VirtualTimer = {
      id: this.nextId++,
      due: this.current + Math.max(0, ms),
      order: this.nextOrder++,
      intervalMs,
      callback,
      live: true,
      clock: this,
    };
    this.liveCount++;
    this.push(timer);
    this.dirty = true;
    return timer;
  }

  /** The earliest live timer, dropping cleared ones from the top of the heap. */
  private peek(): VirtualTimer | undefined {
    const heap = this.heap;
    for (;;) {
      const top = heap[0];
      if (top === undefined || top.live) return top;
      this.pop();
    }
  }

  /**
   * Runs one timer, the top of the heap. Returns true when it may have started asynchronous
   * work (it was a one-shot, or it set or cleared timers: a line sent, a reply awaited), so the
   * caller must let promise chains run before time moves on. An interval tick that touched no
   * timer (a control loop step with nothing to say) needs no await at all, which keeps virtual
   * time fast.
   */
  private fire(timer: VirtualTimer): boolean {
    this.current = Math.max(this.current, timer.due);
    const oneShot = timer.intervalMs === undefined;
    if (timer.intervalMs === undefined) {
      this.pop();
      timer.live = false;
      this.liveCount--;
    } else {
      // Re-arm before running, so the callback may clear its own interval: a later due time
      // and a newer order only ever move the top down.
      timer.due += timer.intervalMs;
      timer.order = this.nextOrder++;
      this.siftDown(timer);
    }
    this.dirty = false;
    timer.callback();
    return oneShot || this.dirty;
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(timer, heap[parent] as VirtualTimer)) break;
      heap[i] = heap[parent] as VirtualTimer;
      i = parent;
    }
    heap[i] = timer;
  }

  /** Removes the top of the heap. */
  private pop(): void {
    const last = this.heap.pop();
    if (last !== undefined && this.heap.length > 0) this.siftDown(last);
  }

  /** Puts `timer` at the top of the heap and moves it down to its place. */
  private siftDown(timer: VirtualTimer): void {
    const heap = this.heap;
    const length = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && earlier(heap[right] as VirtualTimer, heap[left] as VirtualTimer) ? right : left;
      if (!earlier(heap[child] as VirtualTimer, timer)) break;
      heap[i] = heap[child] as VirtualTimer;
      i = child;
    }
    heap[i] = timer;
  }
}

function earlier(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order);
}

/** While running virtual time, hand the real event loop a turn this often (wall-clock ms). */
const YIELD_EVERY_MS = 20;

/**
 * Lets every pending microtask run, and whatever they queue in turn, so resolved promises reach
 * the code awaiting them before time moves on, however deep the chain. Node runs a nextTick
 * callback only once the microtask queue is empty (it drains microtasks, then ticks, in a loop),
 * so awaiting one is a full drain for the price of one tick: cheaper than a fixed number of
 * microtask turns, and never too shallow.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

/** A settled promise: `RESOLVED.then(f)` runs `f` as a microtask. */
const RESOLVED: Promise<void> = Promise.resolve();
