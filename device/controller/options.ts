/**
 * Every timeout and limit of the controller, in one typed object. All durations are in
 * milliseconds unless the name says otherwise; each field documents its default.
 */
import type { Clock } from "../clock.ts";
import type { TransportFactory } from "../transport/transport.ts";

export interface ControllerOptions {
  /** Makes a fresh transport for each connection attempt (see device/composition/device-spec.ts). */
  transport: TransportFactory;
  /** Time source; default a RealClock. Pass a VirtualClock to run sessions in virtual time. */
  clock?: Clock;
  /** How long a request waits for its OK/ER before failing with Timeout. Default 1000. */
  requestTimeoutMs?: number;
  /**
   * A request whose reply does not come in time is sent again (a new sequence number), up to this
   * many attempts in all: one lost frame or reply must not end a session. Default 3.
   */
  requestAttempts?: number;
  /** How long the handshake may take in all, HELLO retries included (boards that reset on open need ~2 s). Default 4000. */
  handshakeTimeoutMs?: number;
  /** HELLO is re-sent this often until ID arrives. Default 500. */
  helloIntervalMs?: number;
  /**
   * Heartbeat period; undefined = the device's watchdogMs / 4. The heartbeat keeps its own
   * schedule, whatever replies are outstanding, so the device hears this host several times per
   * watchdog period even while replies are lost.
   */
  heartbeatMs?: number;
  /** Consecutive heartbeat failures after which the link counts as lost. Default 2. */
  heartbeatFailures?: number;
  /** Telemetry period asked of the device, ms (10..10000, 0 = off). Default 50. */
  telemetryMs?: number;
  /** Period of SET frames when streaming to a device without program playback. Default 20. */
  streamIntervalMs?: number;
  /** The session limit sent with START/STREAM is the program's length plus this allowance for pauses, s. Default 600. */
  pauseAllowanceS?: number;
  /** After a lost link, keep trying to reconnect for this long before ending the session (DISCONNECT). Default 10000. */
  reconnectWindowMs?: number;
  /** First wait between reconnection attempts; it doubles each attempt. Default 250. */
  reconnectInitialDelayMs?: number;
  /** Longest wait between reconnection attempts. Default 2000. */
  reconnectMaxDelayMs?: number;
  /** Set false to never reconnect: a lost link ends the session at once. Default true. */
  reconnect?: boolean;
  /** A program upload that loses a line (no reply in time, a damaged frame) starts again from LOAD, up to this many attempts in all. Default 3. */
  uploadAttempts?: number;
}

/** The options with every default filled in. */
export type ResolvedControllerOptions = Required<Omit<ControllerOptions, "heartbeatMs">> & {
  heartbeatMs: number | undefined;
};

export const CONTROLLER_DEFAULTS = {
  requestTimeoutMs: 1000,
  requestAttempts: 3,
  handshakeTimeoutMs: 4000,
  helloIntervalMs: 500,
  heartbeatFailures: 2,
  telemetryMs: 50,
  streamIntervalMs: 20,
  pauseAllowanceS: 600,
  reconnectWindowMs: 10_000,
  reconnectInitialDelayMs: 250,
  reconnectMaxDelayMs: 2000,
  reconnect: true,
  uploadAttempts: 3,
} as const;
