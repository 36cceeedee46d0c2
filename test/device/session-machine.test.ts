/**
 * The session machine (device/controller/session-machine.ts) as a table: each state × event →
 * the next state and the effects the runner must carry out. The controller's behaviour tests
 * (safety, reconnect, close-races, lossy-link...) drive the same machine end to end.
 */
import { describe, expect, it } from "vitest";
import {
  deviceRuns,
  mayProceed,
  type SessionEvent,
  type SessionState,
  transition,
} from "../../device/controller/session-machine.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";

const uploading: SessionState = { name: "uploading", first: true, pauseAfter: false };
const uploadingNext: SessionState = { name: "uploading", first: false, pauseAfter: false };
const starting: SessionState = { name: "starting", first: true, pauseAfter: false };
const startingPaused: SessionState = { name: "starting", first: true, pauseAfter: true };
const playing: SessionState = { name: "playing" };
const paused: SessionState = { name: "paused", resume: "device" };
const pausedRest: SessionState = { name: "paused", resume: "rest" };
const stoppingHost: SessionState = { name: "stopping", by: "host" };
const completing: SessionState = { name: "stopping", by: "complete" };
const stoppingDevice: SessionState = { name: "stopping", by: "device" };
const reconnecting = (after: "play" | "pause" | "stop"): SessionState => ({ name: "reconnecting", after });
const failure = new MassagerError(ErrorCode.Timeout, "no reply");
const cancelled = new MassagerError(ErrorCode.SessionAborted, "the session was stopped");
const aborting: SessionState = {
  name: "aborting",
  end: { completed: false, reason: "ERROR", error: failure },
  raise: true,
  device: true,
};
const ended: SessionState = { name: "ended", end: { completed: false, reason: "HOST" } };

const idle = (
  reason: "DONE" | "HOST" | "ESTOP" | "WDOG" | "LIMIT" | "FAULT" | "BOOT",
  hasNext = false,
): SessionEvent => ({
  type: "device",
  state: "IDLE",
  reason,
  hasNext,
});
const stoppingFrame = (reason: "DONE" | "LIMIT", hasNext = false): SessionEvent => ({
  type: "device",
  state: "STOPPING",
  reason,
  hasNext,
});

/** [state, event, next state (name + fields that matter), effect types in order] */
type Row = [SessionState, SessionEvent, Partial<SessionState> & { name: SessionState["name"] }, string[]];

const rows: Row[] = [
  // starting a program
  [uploading, { type: "sendingStart" }, { name: "starting", first: true }, []],
  [starting, { type: "started" }, { name: "playing" }, ["status:playing"]],
  [startingPaused, { type: "started" }, { name: "paused", resume: "device" }, ["pauseDevice"]],
  [playing, { type: "started" }, { name: "playing" }, []],
  // pause / resume
  [uploading, { type: "pause" }, { name: "uploading", pauseAfter: true }, ["status:paused"]],
  [playing, { type: "pause" }, { name: "paused", resume: "device" }, ["status:paused"]],
  [paused, { type: "pause" }, { name: "paused" }, []],
  [stoppingHost, { type: "pause" }, { name: "stopping" }, []],
  [paused, { type: "resume" }, { name: "playing" }, ["status:playing"]],
  [pausedRest, { type: "resume" }, { name: "uploading", first: false }, ["startRest"]],
  [startingPaused, { type: "resume" }, { name: "starting", pauseAfter: false }, ["status:uploading"]],
  [playing, { type: "resume" }, { name: "playing" }, []],
  [reconnecting("pause"), { type: "resume" }, { name: "reconnecting", after: "play" }, ["status:playing"]],
  [reconnecting("play"), { type: "pause" }, { name: "reconnecting", after: "pause" }, ["status:paused"]],
  // a soft stop: on the device when it plays, else the session just ends
  [playing, { type: "stop" }, { name: "stopping", by: "host" }, ["stopStreamer", "status:stopping", "sendStop"]],
  [paused, { type: "stop" }, { name: "stopping", by: "host" }, ["stopStreamer", "status:stopping", "sendStop"]],
  [completing, { type: "stop" }, { name: "stopping", by: "complete" }, ["stopStreamer", "status:stopping", "sendStop"]],
  [uploading, { type: "stop" }, { name: "ended" }, ["stopStreamer", "status:stopping", "end:HOST"]],
  [pausedRest, { type: "stop" }, { name: "ended" }, ["stopStreamer", "status:stopping", "end:HOST"]],
  [reconnecting("play"), { type: "stop" }, { name: "ended" }, ["stopStreamer", "status:stopping", "end:HOST"]],
  [ended, { type: "stop" }, { name: "ended" }, []],
  // the streamer reached the end
  [playing, { type: "streamDone" }, { name: "stopping", by: "complete" }, ["sendStop"]],
  // the device's word
  [playing, stoppingFrame("DONE", true), { name: "playing" }, []],
  [playing, stoppingFrame("DONE"), { name: "stopping", by: "device" }, ["status:stopping"]],
  [playing, stoppingFrame("LIMIT"), { name: "stopping", by: "device" }, ["status:stopping"]],
  [stoppingHost, stoppingFrame("LIMIT"), { name: "stopping", by: "host" }, ["status:stopping"]],
  [playing, idle("DONE", true), { name: "uploading", first: false }, ["startNext"]],
  [playing, idle("DONE"), { name: "ended" }, ["finish", "end:DONE"]],
  [stoppingDevice, idle("DONE"), { name: "ended" }, ["finish", "end:DONE"]],
  [completing, idle("HOST"), { name: "ended" }, ["finish", "end:DONE"]],
  [stoppingHost, idle("HOST"), { name: "ended" }, ["end:HOST"]],
  [playing, idle("ESTOP"), { name: "ended" }, ["end:ESTOP"]],
  [stoppingDevice, idle("LIMIT"), { name: "ended" }, ["end:LIMIT"]],
  [playing, idle("WDOG"), { name: "ended" }, ["end:WDOG", "raise"]],
  [playing, idle("FAULT"), { name: "ended" }, ["end:FAULT", "raise"]],
  // a device reset mid-session
  [paused, idle("BOOT"), { name: "ended" }, ["end:BOOT", "raise"]],
  // frames while the device does not play this session are not its business
  [uploadingNext, idle("DONE"), { name: "uploading" }, []],
  [pausedRest, idle("BOOT"), { name: "paused" }, []],
  // a lost link, and the link back
  [playing, { type: "linkLost" }, { name: "reconnecting", after: "play" }, ["stopStreamer"]],
  [paused, { type: "linkLost" }, { name: "reconnecting", after: "pause" }, ["stopStreamer"]],
  [startingPaused, { type: "linkLost" }, { name: "reconnecting", after: "pause" }, ["stopStreamer"]],
  [stoppingHost, { type: "linkLost" }, { name: "reconnecting", after: "stop" }, ["stopStreamer"]],
  [completing, { type: "linkLost" }, { name: "reconnecting", after: "play" }, ["stopStreamer"]],
  [reconnecting("play"), { type: "linkBack", remaining: true }, { name: "uploading", first: false }, ["startRest"]],
  [reconnecting("pause"), { type: "linkBack", remaining: true }, { name: "paused", resume: "rest" }, []],
  [reconnecting("stop"), { type: "linkBack", remaining: true }, { name: "ended" }, ["end:HOST"]],
  [reconnecting("play"), { type: "linkBack", remaining: false }, { name: "ended" }, ["end:DONE"]],
  [playing, { type: "linkBack", remaining: true }, { name: "playing" }, []],
  [reconnecting("play"), { type: "gaveUp", error: failure }, { name: "ended" }, ["end:DISCONNECT"]],
  // an emergency stop, close(), a failure: abort, then end once the stop is out
  [playing, { type: "estop" }, { name: "aborting", device: true }, ["stopStreamer"]],
  [uploading, { type: "estop" }, { name: "aborting", device: false }, ["stopStreamer"]],
  [reconnecting("play"), { type: "close" }, { name: "aborting" }, ["stopStreamer"]],
  [playing, { type: "failed", error: failure }, { name: "aborting", raise: true }, ["stopStreamer", "sendEstop"]],
  [stoppingHost, { type: "failed", error: cancelled }, { name: "stopping" }, []],
  [aborting, { type: "failed", error: failure }, { name: "aborting" }, []],
  [aborting, { type: "stop" }, { name: "aborting" }, []],
  [aborting, idle("ESTOP"), { name: "aborting" }, []],
  [aborting, idle("FAULT"), { name: "ended" }, ["end:FAULT", "raise", "raise"]],
  [aborting, { type: "estopDone" }, { name: "ended" }, ["end:ERROR", "raise"]],
  [ended, { type: "failed", error: failure }, { name: "ended" }, []],
  [ended, { type: "estopDone" }, { name: "ended" }, []],
];

function describeEffects(state: SessionState, event: SessionEvent): string[] {
  return transition(state, event).effects.map((effect) => {
    if (effect.type === "status") return `status:${effect.status}`;
    if (effect.type === "end") return `end:${effect.end.reason}`;
    return effect.type;
  });
}

describe("the session machine", () => {
  it.each(rows.map((row) => [`${label(row[0])} + ${label(row[1])}`, ...row] as const))(
    "%s",
    (_name, state, event, next, effects) => {
      expect(transition(state, event).state).toMatchObject(next);
      expect(describeEffects(state, event)).toEqual(effects);
    },
  );

  it("ends exactly once: every event after the end changes nothing", () => {
    const events: SessionEvent[] = [
      { type: "stop" },
      { type: "estop" },
      { type: "close" },
      { type: "linkLost" },
      idle("DONE"),
      { type: "failed", error: failure },
    ];
    for (const event of events) expect(transition(ended, event)).toEqual({ state: ended, effects: [] });
  });

  it("a completed session's end says so; a stopped one's says why", () => {
    const done = transition(playing, idle("DONE")).state;
    expect(done).toMatchObject({ name: "ended", end: { completed: true, reason: "DONE" } });
    const closed = transition(transition(playing, { type: "close" }).state, { type: "estopDone" }).state;
    expect(closed).toMatchObject({ name: "ended", end: { completed: false, reason: "ESTOP" } });
    expect(closed.name === "ended" && closed.end.error?.message).toMatch(/controller closed/);
  });

  it("uploads and STARTs stop once the host stopped, the session aborted or ended", () => {
    expect([uploading, starting, playing, paused, completing, reconnecting("play")].map(mayProceed)).toEqual(
      Array(6).fill(true),
    );
    expect([stoppingHost, aborting, ended].map(mayProceed)).toEqual([false, false, false]);
  });

  it("device frames concern the session only while the device plays it", () => {
    expect([starting, playing, paused, stoppingHost, aborting].map(deviceRuns)).toEqual(Array(5).fill(true));
    expect([uploading, pausedRest, reconnecting("play"), ended].map(deviceRuns)).toEqual(Array(4).fill(false));
  });
});

function label(value: SessionState | SessionEvent): string {
  if ("name" in value) {
    const { name, ...rest } = value;
    const detail = Object.entries(rest)
      .filter(([key]) => key !== "end")
      .map(([key, v]) => `${key}=${String(v)}`)
      .join(",");
    return detail ? `${name}(${detail})` : name;
  }
  if (value.type === "device") return `ST ${value.state} ${value.reason}${value.hasNext ? " (more queued)" : ""}`;
  return value.type;
}
