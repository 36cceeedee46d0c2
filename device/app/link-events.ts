/**
 * A connected device's controller events, as the app shows them: the connection, the device's
 * state and the session's progress go into the status (progress paced, see status-holder.ts),
 * telemetry goes out as events, and the session's end goes to the app to record.
 */
import type { ConnectionStatus } from "../controller/types.ts";
import { toApiError } from "./api-error.ts";
import { type ConnectedDevice, infoOf } from "./connected-device.ts";
import type { AppEvent, SessionEndSummary } from "./contract.ts";
import type { PlayingSession } from "./session-record.ts";
import type { StatusHolder } from "./status-holder.ts";

/** What the app gives a device's events to. */
export interface LinkFollower {
  readonly status: StatusHolder;
  /** The session playing, whose last position progress keeps (how far a stopped session got). */
  playing(): PlayingSession | undefined;
  emit(event: AppEvent): void;
  /** The controller says the session ended. */
  ended(end: SessionEndSummary): void;
}

/** Listens to `link`'s controller until the app removes its listeners. */
export function followLink(link: ConnectedDevice, spec: string, app: LinkFollower): void {
  const { status } = app;
  link.controller.on("connection", (connection: ConnectionStatus, detail) => {
    status.update({
      device: {
        spec,
        description: link.description,
        connection,
        ...infoOf(link),
        ...(detail.attempt === undefined ? {} : { reconnectAttempt: detail.attempt }),
        ...(detail.error ? { error: toApiError(detail.error) } : {}),
      },
    });
  });
  link.controller.on("device", () => status.update({ device: { ...status.current.device, ...infoOf(link) } }));
  link.controller.on("deviceState", (state, reason) =>
    status.update({ device: { ...status.current.device, state, reason } }),
  );
  link.controller.on("session", (sessionStatus) => {
    if (status.current.session) status.update({ session: { ...status.current.session, status: sessionStatus } });
  });
  link.controller.on("step", (step) => {
    if (status.current.session) status.update({ session: { ...status.current.session, step } });
  });
  link.controller.on("progress", (positionMs) => {
    const playing = app.playing();
    if (playing) playing.lastPositionMs = positionMs;
    const session = status.current.session;
    if (!session) return;
    status.set({ session: { ...session, positionMs } });
    status.pushIfDue();
  });
  link.controller.on("telemetry", (sample) => {
    status.set({ applied: { vibration: sample.vibration, rotation: sample.rotation } });
    app.emit({
      type: "telemetry",
      point: { tMs: sample.positionMs, vibration: sample.vibration, rotation: sample.rotation },
    });
  });
  link.controller.on("ended", (end) => {
    app.ended({
      completed: end.completed,
      reason: end.reason,
      ...(end.error ? { error: toApiError(end.error) } : {}),
    });
  });
  link.controller.on("error", (error) =>
    status.update({ device: { ...status.current.device, error: toApiError(error) } }),
  );
}
