/**
 * The session's states, as one union and one pure transition function (like the firmware's
 * device.cpp and the simulator's DeviceCore). The session runner feeds it events (what the host
 * asked, what the device said, what happened to the link) and carries out the effects it returns;
 * nothing else decides what a session does next.
 *
 *   uploading ─sendingStart─► starting ─started─► playing ◄─resume── paused
 *       ▲                                          │  │  └──pause──────►┘
 *       └──────── device IDLE DONE, more queued ◄──┘  └─stop / device stops─► stopping ─IDLE─► ended
 *   linkLost: any live state ─► reconnecting ─linkBack─► uploading | paused | ended  (─gaveUp─► ended)
 *   estop / close / failed: any live state ─► aborting ─estopDone─► ended
 */
import type { DeviceState, StateReason } from "../../protocol/commands.ts";
import { ErrorCode, isMassagerError, MassagerError } from "../../protocol/errors.ts";
import type { SessionEnd, SessionStatus } from "./types.ts";

export type SessionState =
  /** A program is uploading (or the stream is being set up); the device does not play it yet. */
  | { name: "uploading"; first: boolean; pauseAfter: boolean }
  /** START (or STREAM) is on its way: its ST PLAYING may come before its OK, so device frames count. */
  | { name: "starting"; first: boolean; pauseAfter: boolean }
  /** The device plays the program, or the host streams it. */
  | { name: "playing" }
  /**
   * Paused by the host. `resume`: "device" — the device (or the streamer) holds the session paused;
   * "rest" — the link came back while paused: resume() starts the rest of the session.
   */
  | { name: "paused"; resume: "device" | "rest" }
  /** The device ramps to zero: asked by the host, at the stream's end ("complete"), or on its own. */
  | { name: "stopping"; by: "host" | "complete" | "device" }
  /** The link is lost; the connection manager reconnects. `after`: what to do once it is back. */
  | { name: "reconnecting"; after: "play" | "pause" | "stop" }
  /**
   * An emergency stop, close() or a failure: the stop is on the wire, nothing more is sent.
   * `device`: the device was playing the session, so its own word on why it stopped (a FAULT,
   * a reset) may still come, and is the more precise end.
   */
  | { name: "aborting"; end: SessionEnd; raise: boolean; device: boolean }
  | { name: "ended"; end: SessionEnd };

export type SessionEvent =
  | { type: "sendingStart" }
  | { type: "started" }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stop" }
  /** The streamer played the program to its end. */
  | { type: "streamDone" }
  /** An ST frame; `hasNext` says whether more programs of the session are queued. */
  | { type: "device"; state: DeviceState; reason: StateReason; hasNext: boolean }
  | { type: "linkLost" }
  /** The connection manager reconnected; `remaining` says whether any of the session is left. */
  | { type: "linkBack"; remaining: boolean }
  | { type: "gaveUp"; error: MassagerError }
  | { type: "estop" }
  | { type: "close" }
  | { type: "failed"; error: MassagerError }
  /** The stop byte and ESTOP of an abort are out (or the link is dead). */
  | { type: "estopDone" };

export type SessionEffect =
  | { type: "status"; status: SessionStatus }
  /** Send STOP (a soft stop: the device ramps down). */
  | { type: "sendStop" }
  /** Pause the device (or the streamer): a pause asked for while the session was starting. */
  | { type: "pauseDevice" }
  /** Upload and start the next queued program. */
  | { type: "startNext" }
  /** Start the rest of the session from the position it had reached. */
  | { type: "startRest" }
  | { type: "stopStreamer" }
  /** Stop byte + ESTOP (a failure: nothing else stopped the motors yet). */
  | { type: "sendEstop" }
  /** The whole session has played: its position is its duration. */
  | { type: "finish"; progress: boolean }
  | { type: "end"; end: SessionEnd }
  /** Report the error to the controller's `error` listeners. */
  | { type: "raise"; error: MassagerError };

export interface Transition {
  state: SessionState;
  effects: SessionEffect[];
}

export const INITIAL_STATE: SessionState = { name: "uploading", first: true, pauseAfter: false };

/** True while the device plays (or is starting, pausing or stopping) this session: its ST/TM frames concern it. */
export function deviceRuns(state: SessionState): boolean {
  switch (state.name) {
    case "starting":
    case "playing":
    case "stopping":
      return true;
    case "aborting":
      return state.device;
    case "paused":
      return state.resume === "device";
    default:
      return false;
  }
}

/** True while the session may still send requests: uploads and STARTs stop at anything else. */
export function mayProceed(state: SessionState): boolean {
  switch (state.name) {
    case "aborting":
    case "ended":
      return false;
    case "stopping":
      return state.by !== "host";
    default:
      return true;
  }
}

const DEVICE_STOPPED: Partial<Record<StateReason, string>> = {
  WDOG: "the device's watchdog stopped the motors: it heard nothing from this host for too long",
  LIMIT: "the device's session limit was reached",
  FAULT: "the device stopped on a protocol fault",
  BOOT: "the device restarted mid-session (power or firmware fault)",
};

/** The next state and what to do, for `event` in `state`. Pure: no I/O, no clock. */
export function transition(state: SessionState, event: SessionEvent): Transition {
  if (state.name === "ended") return stay(state);
  if (state.name === "aborting") {
    // The stop is already on its way: a late failure changes nothing. The device saying it stopped
    // for a reason of its own (not this host's ESTOP, not the end of one chunk of several) ends it so.
    if (event.type === "device" && state.device && event.state === "IDLE") {
      if (event.reason === "ESTOP" || (event.reason === "DONE" && event.hasNext)) return stay(state);
      const byDevice = onIdle(state, event.reason, false);
      const failure = state.raise ? state.end.error : undefined;
      return failure ? { ...byDevice, effects: [...byDevice.effects, { type: "raise", error: failure }] } : byDevice;
    }
    if (event.type !== "estopDone") return stay(state);
    return ended(state.end, [], state.raise && state.end.error ? [{ type: "raise", error: state.end.error }] : []);
  }
  switch (event.type) {
    case "estop":
      return {
        state: {
          name: "aborting",
          end: { completed: false, reason: "ESTOP" },
          raise: false,
          device: deviceRuns(state),
        },
        effects: [STOP_STREAMER],
      };
    case "close":
      return {
        state: {
          name: "aborting",
          end: {
            completed: false,
            reason: "ESTOP",
            error: new MassagerError(ErrorCode.SessionAborted, "the session was stopped because the controller closed"),
          },
          raise: false,
          device: deviceRuns(state),
        },
        effects: [STOP_STREAMER],
      };
    case "failed":
      if (isOwnCancellation(state, event.error)) return stay(state);
      return {
        state: {
          name: "aborting",
          end: { completed: false, reason: "ERROR", error: event.error },
          raise: true,
          device: deviceRuns(state),
        },
        effects: [STOP_STREAMER, { type: "sendEstop" }],
      };
    case "estopDone":
      return stay(state);
    case "gaveUp":
      return ended({ completed: false, reason: "DISCONNECT", error: event.error });
    case "linkLost":
      return { state: { name: "reconnecting", after: afterReconnect(state) }, effects: [STOP_STREAMER] };
    case "linkBack":
      return linkBack(state, event.remaining);
    case "device":
      return deviceRuns(state) ? onDevice(state, event) : stay(state);
    default:
      return onHost(state, event);
  }
}

function onHost(
  state: Exclude<SessionState, { name: "ended" | "aborting" }>,
  event: Extract<SessionEvent, { type: "sendingStart" | "started" | "pause" | "resume" | "stop" | "streamDone" }>,
): Transition {
  switch (event.type) {
    case "sendingStart":
      return state.name === "uploading" ? stay({ ...state, name: "starting" }) : stay(state);
    case "started":
      if (state.name !== "starting") return stay(state);
      if (state.pauseAfter) return { state: { name: "paused", resume: "device" }, effects: [{ type: "pauseDevice" }] };
      return to({ name: "playing" }, "playing");
    case "pause":
      switch (state.name) {
        case "uploading":
        case "starting":
          return to({ ...state, pauseAfter: true }, "paused");
        case "playing":
          return to({ name: "paused", resume: "device" }, "paused");
        case "reconnecting":
          return state.after === "stop" ? stay(state) : to({ name: "reconnecting", after: "pause" }, "paused");
        default:
          return stay(state);
      }
    case "resume":
      switch (state.name) {
        case "uploading":
        case "starting":
          return state.pauseAfter
            ? to({ ...state, pauseAfter: false }, state.first ? "uploading" : "playing")
            : stay(state);
        case "paused":
          if (state.resume === "device") return to({ name: "playing" }, "playing");
          return { state: { name: "uploading", first: false, pauseAfter: false }, effects: [{ type: "startRest" }] };
        case "reconnecting":
          return state.after === "pause" ? to({ name: "reconnecting", after: "play" }, "playing") : stay(state);
        default:
          return stay(state);
      }
    case "stop":
      return onStop(state);
    case "streamDone":
      if (state.name !== "playing") return stay(state);
      return { state: { name: "stopping", by: "complete" }, effects: [{ type: "sendStop" }] };
  }
}

function onStop(state: Exclude<SessionState, { name: "ended" | "aborting" }>): Transition {
  const stopping: SessionEffect = { type: "status", status: "stopping" };
  if (!deviceRuns(state)) {
    // Nothing plays on the device (uploading, paused off the device, reconnecting): the session just ends.
    return ended({ completed: false, reason: "HOST" }, [STOP_STREAMER, stopping]);
  }
  const by = state.name === "stopping" && state.by === "complete" ? "complete" : "host";
  return { state: { name: "stopping", by }, effects: [STOP_STREAMER, stopping, { type: "sendStop" }] };
}

function onDevice(state: SessionState, event: Extract<SessionEvent, { type: "device" }>): Transition {
  switch (event.state) {
    case "PLAYING":
    case "STREAMING":
    case "PAUSED":
      return stay(state);
    case "STOPPING": {
      // The end of one program of several is no stop of the session.
      if (event.reason === "DONE" && event.hasNext) return stay(state);
      const next: SessionState = state.name === "stopping" ? state : { name: "stopping", by: "device" };
      return to(next, "stopping");
    }
    case "IDLE":
      return onIdle(state, event.reason, event.hasNext);
  }
}

function onIdle(state: SessionState, reason: StateReason, hasNext: boolean): Transition {
  if (reason === "DONE") {
    if (hasNext)
      return { state: { name: "uploading", first: false, pauseAfter: false }, effects: [{ type: "startNext" }] };
    return ended({ completed: true, reason: "DONE" }, [{ type: "finish", progress: true }]);
  }
  if (reason === "HOST" && state.name === "stopping" && state.by === "complete") {
    return ended({ completed: true, reason: "DONE" }, [{ type: "finish", progress: false }]);
  }
  if (reason === "HOST" || reason === "ESTOP") return ended({ completed: false, reason });
  const error = new MassagerError(ErrorCode.SessionAborted, DEVICE_STOPPED[reason] ?? `the device stopped (${reason})`);
  // Reaching the session limit is an end, not a fault: nobody is alerted.
  return ended({ completed: false, reason, error }, [], reason === "LIMIT" ? [] : [{ type: "raise", error }]);
}

function afterReconnect(state: SessionState): "play" | "pause" | "stop" {
  switch (state.name) {
    case "paused":
      return "pause";
    case "uploading":
    case "starting":
      return state.pauseAfter ? "pause" : "play";
    case "stopping":
      return state.by === "host" ? "stop" : "play";
    case "reconnecting":
      return state.after;
    default:
      return "play";
  }
}

function linkBack(state: SessionState, remaining: boolean): Transition {
  if (state.name !== "reconnecting") return stay(state);
  if (!remaining) return ended({ completed: true, reason: "DONE" });
  switch (state.after) {
    case "stop":
      return ended({ completed: false, reason: "HOST" });
    case "pause":
      return stay({ name: "paused", resume: "rest" });
    case "play":
      return { state: { name: "uploading", first: false, pauseAfter: false }, effects: [{ type: "startRest" }] };
  }
}

const STOP_STREAMER: SessionEffect = { type: "stopStreamer" };

function stay(state: SessionState): Transition {
  return { state, effects: [] };
}

function to(state: SessionState, status: SessionStatus): Transition {
  return { state, effects: [{ type: "status", status }] };
}

function ended(end: SessionEnd, before: SessionEffect[] = [], after: SessionEffect[] = []): Transition {
  return { state: { name: "ended", end }, effects: [...before, { type: "end", end }, ...after] };
}

/** A failure that belongs to the session already being stopped (its own cancelled requests) is no news. */
function isOwnCancellation(state: SessionState, error: unknown): boolean {
  return !mayProceed(state) && isMassagerError(error, ErrorCode.SessionAborted);
}
