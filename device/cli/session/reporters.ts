/**
 * How `play` shows a session: on a terminal a progress bar with the step, its cue and the
 * live levels; otherwise (or with --json) one JSON event per line.
 */
import { SingleBar } from "cli-progress";
import type { Controller } from "../../controller/controller.ts";

export interface Reporter {
  /** The keys asked for this intensity, percent (the device's acknowledgement comes as the controller's `intensity`). */
  intensity?(percent: number): void;
  /** A one-line problem while playing, e.g. a key the device cannot follow. */
  problem?(message: string): void;
  close(): void;
}

/**
 * One JSON object per line on `out`: connection, device, step, progress (once a second of session
 * time), intensity, problem, ended. Lines go out together at the end of each turn of the event
 * loop: `--fast` makes 3600 progress lines of an hour in well under a second, and a write to a
 * pipe is a system call each.
 */
export function jsonReporter(controller: Controller, out: NodeJS.WritableStream): Reporter {
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === "") return;
    out.write(pending);
    pending = "";
  };
  const write = (event: object) => {
    pending += `${JSON.stringify(event)}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  let lastSecond = -1;
  let levels = { vibration: 0, rotation: 0 };
  controller.on("connection", (status, detail) =>
    write({
      event: "connection",
      status,
      ...(detail.attempt ? { attempt: detail.attempt } : {}),
      ...(detail.error ? { error: detail.error.message } : {}),
    }),
  );
  controller.on("device", (info) => write({ event: "device", ...info }));
  controller.on("session", (status) => write({ event: "session", status }));
  controller.on("step", (step) =>
    write({
      event: "step",
      index: step.index,
      pattern: step.patternId,
      name: step.name,
      cue: step.cue,
      startMs: step.startMs,
      durationMs: step.durationMs,
    }),
  );
  controller.on("telemetry", (t) => {
    levels = { vibration: t.vibration, rotation: t.rotation };
  });
  // IDLE means the outputs are off (PROTOCOL.md); the device's last TM only follows its ST frame.
  controller.on("deviceState", (state) => {
    if (state === "IDLE") levels = { vibration: 0, rotation: 0 };
  });
  controller.on("progress", (positionMs, durationMs) => {
    const second = Math.floor(positionMs / 1000);
    if (second === lastSecond) return;
    lastSecond = second;
    write({ event: "progress", positionMs: Math.round(positionMs), durationMs, ...levels });
  });
  controller.on("ended", (end) =>
    write({
      event: "ended",
      completed: end.completed,
      reason: end.reason,
      ...(end.error ? { error: end.error.message } : {}),
    }),
  );
  controller.on("intensity", (percent) => write({ event: "intensity", percent }));
  return {
    problem: (message) => write({ event: "problem", message }),
    close: flush,
  };
}

export interface BarOptions {
  /** The session's intensity, percent, until the device acknowledges another. */
  intensity: number;
  /** ↑/↓, Space, q and Esc work: say so under the title. */
  keys: boolean;
}

/** A progress bar on a terminal. */
export function barReporter(
  controller: Controller,
  title: string,
  out: NodeJS.WriteStream,
  options: BarOptions = { intensity: 70, keys: false },
): Reporter {
  if (options.keys) out.write("↑/↓ intensity · Space pause/resume · q or Esc stop\n");
  const bar = new SingleBar({
    stream: out,
    format: "{bar} {percentage}% {elapsed}/{total_time} | {state}{intensity} | vib {vib} rot {rot} | {step}",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    fps: 10,
  });
  let started = false;
  let payload = {
    step: "connecting…",
    cue: title,
    vib: " 0%",
    rot: "  0%",
    elapsed: "0:00",
    total_time: "0:00",
    intensity: intensityText(options.intensity),
    state: "",
  };
  let total = 1;
  const ensure = (durationMs: number) => {
    if (started) return;
    started = true;
    total = Math.max(1, Math.round(durationMs / 1000));
    payload.total_time = clockText(total);
    bar.start(total, 0, payload);
  };
  controller.on("step", (step) => {
    payload = { ...payload, step: `${step.index + 1}. ${step.name}`, cue: step.cue };
    // The cue changes with the step: say it on its own line too, since the bar cuts it to the terminal's width.
    if (started) bar.stop();
    out.write(`\n${payload.step}: ${step.cue}\n`);
    if (started) bar.start(total, bar.getProgress() * total, payload);
    if (started) bar.update(payload);
  });
  controller.on("telemetry", (t) => {
    payload = { ...payload, vib: percent(t.vibration), rot: percent(t.rotation, true) };
  });
  controller.on("deviceState", (state) => {
    if (state === "IDLE") payload = { ...payload, vib: percent(0), rot: percent(0, true) };
  });
  controller.on("progress", (positionMs, durationMs) => {
    ensure(durationMs);
    const seconds = Math.min(total, Math.floor(positionMs / 1000));
    payload.elapsed = clockText(seconds);
    bar.update(seconds, payload);
  });
  // The intensity shown is what the keys asked for at once, then what the device acknowledged.
  const showIntensity = (percent: number) => {
    payload = { ...payload, intensity: intensityText(percent) };
    if (started) bar.update(payload);
  };
  controller.on("intensity", showIntensity);
  controller.on("session", (status) => {
    payload = { ...payload, state: status === "paused" ? "paused · " : "" };
    if (started) bar.update(payload);
  });
  controller.on("connection", (status, detail) => {
    if (status === "reconnecting") {
      // The link is gone: the device's watchdog stops the motors within its period, so the last
      // levels the bar showed are no longer true. Say so, with the motors at rest.
      payload = {
        ...payload,
        state: `reconnecting (attempt ${detail.attempt ?? 0})… motors stopped by the device's watchdog · `,
        vib: percent(0),
        rot: percent(0, true),
      };
    } else if (status === "connected" && payload.state.startsWith("reconnecting")) {
      payload = { ...payload, state: "" };
    }
    if (started) bar.update(payload);
  });
  return {
    intensity: showIntensity,
    problem: (message) => {
      if (started) bar.stop();
      out.write(`\n${message}\n`);
      if (started) bar.start(total, bar.getProgress() * total, payload);
    },
    close: () => {
      if (started) bar.stop();
    },
  };
}

function intensityText(percent: number): string {
  return `intensity ${Math.round(percent)}%`;
}

function percent(level: number, signed = false): string {
  const text = `${Math.round(level * 100)}%`;
  return (signed && level > 0 ? `+${text}` : text).padStart(signed ? 5 : 4);
}

function clockText(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
