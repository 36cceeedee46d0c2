/**
 * The controller's connection to one device: open the transport, handshake, the heartbeat on its
 * own schedule, the stop byte + ESTOP, and the reconnect policy (README, "Reconnect policy").
 * It knows nothing of sessions: it tells its owner about frames, a lost link, a link back and
 * giving up through `ConnectionHooks`.
 */
import type { MessageOf } from "../../protocol/commands.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { ErrorCode, isDeviceRefusal, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import type { Clock, TimerHandle } from "../clock.ts";
import { reconnectLog } from "../log.ts";
import type { Transport } from "../transport/transport.ts";
import { handshake } from "./handshake.ts";
import { FrameLink, type Request } from "./link.ts";
import type { ResolvedControllerOptions } from "./options.ts";
import { requestWithRetry } from "./retry.ts";
import type { ConnectionStatus, ControllerEvents } from "./types.ts";

export interface ConnectionHooks {
  connection(status: ConnectionStatus, detail: ControllerEvents["connection"][1]): void;
  device(info: DeviceInfo): void;
  /** An ST or TM frame from the current link. */
  frame(frame: MessageOf<"ST"> | MessageOf<"TM">): void;
  /** The link was lost (its stop byte and ESTOP are already written); a reconnect follows unless closed. */
  lost(): void;
  /** Reconnected after a loss. */
  back(): Promise<void>;
  /** Reconnecting failed for good (or is off): `error` says why; the connection is "disconnected". */
  gaveUp(error: MassagerError): void;
  /** A failure of the connection's own work (the heartbeat, the reconnect): stop everything. */
  failed(error: unknown): void;
  /** True while a session plays on the device (the heartbeat then watches for lost ST frames). */
  sessionRuns(): boolean;
}

/** How long a lost link's stop byte and ESTOP get on the wire before its transport closes, ms. */
const LOST_LINK_STOP_WAIT_MS = 100;

export class Connection {
  private statusValue: ConnectionStatus = "disconnected";
  private transport: Transport | undefined;
  private currentLink: FrameLink | undefined;
  private deviceInfo: DeviceInfo | undefined;
  private heartbeat: TimerHandle | undefined;
  private heartbeatMisses = 0;
  /** One timeout error for every PING on the current link (RequestOptions.timeoutError). */
  private heartbeatTimeout: MassagerError | undefined;
  private closedValue = false;
  /** Clock ms of the last ST or TM frame: a running session silent for long has lost one (see beat()). */
  private lastFrameMs = 0;
  private reconnectWake: { timer: TimerHandle; wake: () => void } | undefined;

  constructor(
    private readonly options: ResolvedControllerOptions,
    private readonly clock: Clock,
    private readonly hooks: ConnectionHooks,
  ) {}

  get info(): DeviceInfo | undefined {
    return this.deviceInfo;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get closed(): boolean {
    return this.closedValue;
  }

  get link(): FrameLink | undefined {
    return this.currentLink;
  }

  /** Marks "a session frame is due from now": START/STREAM was just sent. */
  noteSessionStart(): void {
    this.lastFrameMs = this.clock.now();
  }

  async connect(): Promise<DeviceInfo> {
    if (this.closedValue) throw new MassagerError(ErrorCode.Disconnected, "the controller was closed");
    if (this.currentLink && this.deviceInfo) return this.deviceInfo;
    this.setStatus("connecting", {});
    try {
      const info = await this.openLink();
      this.setStatus("connected", {});
      return info;
    } catch (error) {
      const failure = asMassagerError(error);
      this.setStatus("disconnected", { error: failure });
      throw failure;
    }
  }

  /** Closes for good: no reconnect after this; `beforeDrop` runs (the session's end) before the link goes. */
  async close(beforeDrop: (estop: Promise<void>) => Promise<void>): Promise<void> {
    if (this.closedValue) return;
    this.closedValue = true;
    this.cancelReconnectWait();
    this.stopHeartbeat();
    await beforeDrop(this.sendEstop());
    await this.dropLink(new MassagerError(ErrorCode.Disconnected, "the controller was closed"));
    this.setStatus("disconnected", {});
  }

  /**
   * The stop byte (a 1.1 device: it acts on it the moment it arrives), then ESTOP ahead of anything
   * queued. Both are written synchronously, before this returns its promise; it never rejects
   * (a dead link leaves the stop to the device's watchdog).
   */
  async sendEstop(): Promise<void> {
    const link = this.currentLink;
    if (link === undefined) return;
    // To a 1.0 device the byte would spoil the ESTOP frame behind it: only where ID advertises it.
    if (this.deviceInfo?.stopByte) link.transport.sendStopByte?.().catch(() => {});
    const reply = link.request({ type: "ESTOP" }, { urgent: true });
    link.cancelQueued(new MassagerError(ErrorCode.SessionAborted, "cancelled by an emergency stop"));
    try {
      await reply;
    } catch {
      // The motors stop anyway: the device's watchdog cuts them when the heartbeat stops.
    }
  }

  retrying(
    link: FrameLink,
    message: Request,
    options: { changesState?: boolean; beforeAttempt?: () => void } = {},
  ): ReturnType<FrameLink["request"]> {
    return requestWithRetry(link, message, { attempts: this.options.requestAttempts, ...options });
  }

  private async openLink(): Promise<DeviceInfo> {
    const options = this.options;
    const transport = options.transport();
    await transport.open();
    if (this.closedValue) {
      // close() ran while the transport opened (a BLE scan takes seconds): no handshake after it.
      await transport.close().catch(() => {});
      throw new MassagerError(ErrorCode.Disconnected, "the controller was closed");
    }
    const link = new FrameLink(transport, this.clock, options.requestTimeoutMs);
    link.on("frame", (frame) => {
      if (link !== this.currentLink) return;
      this.lastFrameMs = this.clock.now();
      this.hooks.frame(frame);
    });
    link.on("lost", (error) => this.onLinkLost(link, error));
    try {
      const info = await handshake(link, options);
      // A device left running by a host that went away stops before anything else happens.
      await this.retrying(link, { type: "ESTOP" });
      await this.retrying(link, { type: "TELEM", periodMs: options.telemetryMs });
      // close() ran while this link was being set up: it had no link to stop, so drop this one
      // (else its heartbeat and transport outlive the controller and keep the process alive).
      if (this.closedValue) throw new MassagerError(ErrorCode.Disconnected, "the controller was closed");
      this.transport = transport;
      this.currentLink = link;
      this.deviceInfo = info;
      this.hooks.device(info);
      this.startHeartbeat(info);
      return info;
    } catch (error) {
      link.detach(asMassagerError(error));
      await transport.close().catch(() => {});
      throw error;
    }
  }

  private async dropLink(error: MassagerError): Promise<void> {
    const link = this.currentLink;
    const transport = this.transport;
    this.currentLink = undefined;
    this.transport = undefined;
    this.stopHeartbeat();
    link?.detach(error);
    await transport?.close().catch(() => {});
  }

  private onLinkLost(link: FrameLink, error: MassagerError): void {
    if (link !== this.currentLink || this.closedValue) return;
    // The device may be mute or garbled but still listening: tell it to stop before anything else.
    const estop = this.sendEstop();
    this.hooks.lost();
    this.recover(error, estop).catch((failure: unknown) => this.hooks.failed(failure));
  }

  /** The reconnect policy: see README, "Reconnect policy". */
  private async recover(cause: MassagerError, estop: Promise<void>): Promise<void> {
    // Give the stop a moment on the wire (a listening device answers at once) before the port closes.
    await Promise.race([estop, this.sleep(LOST_LINK_STOP_WAIT_MS)]);
    this.cancelReconnectWait();
    await this.dropLink(cause);
    const options = this.options;
    if (!options.reconnect) {
      this.giveUp(cause);
      return;
    }
    this.setStatus("reconnecting", { error: cause });
    const deadline = this.clock.now() + options.reconnectWindowMs;
    let delay = options.reconnectInitialDelayMs;
    let attempt = 0;
    let lastError = cause;
    while (!this.closedValue) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) break;
      await this.sleep(Math.min(delay, remaining));
      if (this.closedValue) return;
      delay = Math.min(delay * 2, options.reconnectMaxDelayMs);
      attempt++;
      this.setStatus("reconnecting", { attempt });
      try {
        await this.openLink();
      } catch (error) {
        lastError = asMassagerError(error);
        continue;
      }
      this.setStatus("connected", { attempt });
      await this.hooks.back();
      return;
    }
    if (!this.closedValue) this.giveUp(lastError);
  }

  private giveUp(cause: MassagerError): void {
    const error = new MassagerError(
      ErrorCode.Disconnected,
      `lost the device and could not reconnect within ${this.options.reconnectWindowMs / 1000} s (${cause.message})`,
      { hint: "check the cable or the connection; the device's watchdog has stopped the motors", cause },
    );
    this.setStatus("disconnected", { error });
    this.hooks.gaveUp(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.reconnectWake = undefined;
        resolve();
      }, ms);
      this.reconnectWake = { timer, wake: resolve };
    });
  }

  private cancelReconnectWait(): void {
    const wait = this.reconnectWake;
    if (wait === undefined) return;
    this.reconnectWake = undefined;
    this.clock.clearTimer(wait.timer);
    wait.wake();
  }

  private startHeartbeat(info: DeviceInfo): void {
    this.stopHeartbeat();
    this.heartbeatMisses = 0;
    this.heartbeatTimeout = this.currentLink?.timeoutErrorFor("PING");
    const period = this.options.heartbeatMs ?? Math.max(10, Math.floor(info.watchdogMs / 4));
    this.heartbeat = this.clock.setInterval(() => this.beat(), period);
  }

  private frameOverdue(): boolean {
    if (!this.hooks.sessionRuns()) return false;
    const telemetryMs = this.options.telemetryMs;
    if (telemetryMs <= 0) return true;
    return this.clock.now() - this.lastFrameMs > Math.max(3 * telemetryMs, this.heartbeatPeriodMs());
  }

  private heartbeatPeriodMs(): number {
    return this.options.heartbeatMs ?? Math.max(10, Math.floor((this.deviceInfo?.watchdogMs ?? 1000) / 4));
  }

  private stopHeartbeat(): void {
    this.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
  }

  /**
   * One heartbeat, on its own schedule whatever replies are outstanding (urgent: it never waits
   * behind a request whose reply was lost), so the device hears this host several times per
   * watchdog period. While a session runs and no ST/TM has come for a while, it asks STATUS
   * instead of PING: the answer carries the device's state, in case an ST frame was lost.
   */
  private beat(): void {
    const link = this.currentLink;
    if (link === undefined) return;
    const timeoutError = this.heartbeatTimeout;
    const request: Request = this.frameOverdue() ? { type: "STATUS" } : { type: "PING" };
    link.request(request, timeoutError ? { timeoutError, urgent: true } : { urgent: true }).then(
      () => {
        this.heartbeatMisses = 0;
      },
      (error: unknown) => {
        if (link !== this.currentLink) return;
        if (isMassagerError(error, ErrorCode.Timeout)) {
          if (++this.heartbeatMisses >= this.options.heartbeatFailures) {
            this.onLinkLost(
              link,
              new MassagerError(ErrorCode.Timeout, `${link.transport.description}: the device stopped answering`),
            );
          }
          return;
        }
        // A refused or garbled PING (the device answered), a cancelled one or a lost link (handled
        // by "lost") are not failures of ours; anything else is, and stops the motors.
        if (isDeviceRefusal(error) || isMassagerError(error, ErrorCode.SessionAborted)) return;
        if (isMassagerError(error, ErrorCode.Disconnected)) return;
        this.hooks.failed(error);
      },
    );
  }

  private setStatus(status: ConnectionStatus, detail: ControllerEvents["connection"][1]): void {
    if (status === "reconnecting" || this.statusValue === "reconnecting") {
      reconnectLog(
        "%s%s%s",
        status,
        detail.attempt ? ` (attempt ${detail.attempt})` : "",
        detail.error ? `: ${detail.error.message}` : "",
      );
    }
    this.statusValue = status;
    this.hooks.connection(status, detail);
  }
}

export function asMassagerError(error: unknown): MassagerError {
  if (error instanceof MassagerError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new MassagerError(ErrorCode.SessionAborted, `internal failure: ${text}`, { cause: error });
}
