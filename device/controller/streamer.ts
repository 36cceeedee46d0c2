/**
 * Plays a program from the host for devices that cannot store one: samples it every
 * intervalMs and sends the level as a setpoint. Latest command wins: while one SET awaits its
 * reply, newer levels replace each other in a single slot, so a slow link never builds a
 * backlog and the device always gets the freshest level.
 */
import { ErrorCode, isMassagerError } from "../../protocol/errors.ts";
import { ProgramPlayer, type ProgramSample } from "../../protocol/player.ts";
import { type Levels, programDurationMs, type WireProgram } from "../../protocol/program.ts";
import type { Clock, TimerHandle } from "../clock.ts";

export interface StreamerHooks {
  /** Sends one setpoint; resolves on the device's OK. */
  send(levels: Levels): Promise<void>;
  /** Called on every sample, with the position in the program. */
  sample(sample: ProgramSample, positionMs: number): void;
  /** The program has played to its end. */
  done(): void;
  failed(error: unknown): void;
}

export class SetpointStreamer {
  private timer: TimerHandle | undefined;
  private readonly player: ProgramPlayer;
  private readonly durationMs: number;
  private positionMs = 0;
  private lastMs = 0;
  private paused = false;
  private pending: Levels | undefined;
  private inFlight = false;
  /** SET frames sent, for tests and benches. */
  sent = 0;

  constructor(
    private readonly clock: Clock,
    program: WireProgram,
    private readonly intervalMs: number,
    private readonly hooks: StreamerHooks,
  ) {
    this.player = new ProgramPlayer(program);
    this.durationMs = programDurationMs(program);
  }

  get position(): number {
    return this.positionMs;
  }

  start(): void {
    this.lastMs = this.clock.now();
    this.timer = this.clock.setInterval(() => this.tick(), this.intervalMs);
    this.tick();
  }

  /** Outputs to zero (the device ramps them); the program position stops. */
  pause(): void {
    this.advance();
    this.paused = true;
    this.push({ vib: 0, rot: 0 });
  }

  resume(): void {
    this.lastMs = this.clock.now();
    this.paused = false;
    this.tick();
  }

  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private advance(): void {
    const now = this.clock.now();
    if (!this.paused) this.positionMs += now - this.lastMs;
    this.lastMs = now;
  }

  private tick(): void {
    if (this.timer === undefined) return;
    this.advance();
    if (this.paused) return;
    const sample = this.player.sample(Math.floor(this.positionMs));
    if (sample.done || this.positionMs >= this.durationMs) {
      this.stop();
      this.hooks.done();
      return;
    }
    this.hooks.sample(sample, this.positionMs);
    this.push({ vib: sample.vib, rot: sample.rot });
  }

  private push(levels: Levels): void {
    this.pending = levels;
    if (!this.inFlight) this.flush();
  }

  private flush(): void {
    const levels = this.pending;
    if (levels === undefined) return;
    this.pending = undefined;
    this.inFlight = true;
    this.sent++;
    this.hooks.send(levels).then(
      () => {
        this.inFlight = false;
        this.flush();
      },
      (error: unknown) => {
        this.inFlight = false;
        // A lost SET or a lost reply: the next setpoint replaces it (the heartbeat watches the link).
        if (isMassagerError(error, ErrorCode.Timeout) && this.timer !== undefined) {
          this.flush();
          return;
        }
        this.stop();
        this.hooks.failed(error);
      },
    );
  }
}
