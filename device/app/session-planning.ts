/**
 * A session request made into what the device plays, under the person's maximums and the
 * connected device's limits, with the chart of the plan; and the chart of a pattern being edited.
 */
import { compileSession, sessionTimeline } from "../../patterns/index.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Pattern } from "../../protocol/pattern.ts";
import type { CompiledSession } from "../../protocol/session.ts";
import { deviceLimitsOf } from "../controller/device-info.ts";
import type { SessionRequest, Settings, Timeline } from "./contract.ts";
import type { Library } from "./library.ts";

export interface SessionPlan {
  session: CompiledSession;
  /** What was asked, after the person's maximums were applied. */
  minutes: number;
  intensity: number;
  timeline: Timeline;
}

export interface PlanContext {
  settings: Settings;
  library: Library;
  /** The connected device's limits, when one is connected. */
  info: DeviceInfo | undefined;
  /** Most points the chart gets (one per 100 ms below that). Default 20000. */
  chartPoints: number | undefined;
}

/** Compiles `request` against the person's maximums and the device's limits, with the chart of the plan. */
export function planSession(
  request: SessionRequest,
  { settings, library, info, chartPoints }: PlanContext,
): SessionPlan {
  const minutes = Math.min(request.minutes, settings.maxSessionMinutes);
  const source = library.source(request.sourceId, request.stepMinutes);
  if (!source) {
    throw new MassagerError(ErrorCode.PatternNotFound, `no pattern or routine "${request.sourceId}"`, {
      hint: "pick one from the library",
    });
  }
  const intensity = Math.min(request.intensity, settings.maxIntensity);
  const session = compileSession(
    source,
    {
      minutes,
      intensity,
      personalMax: settings.maxIntensity / 100,
      stepCue: settings.stepCue,
      ...(info ? { device: deviceLimitsOf(info) } : {}),
    },
    library.pattern,
  );
  const stepMs = Math.max(100, Math.ceil(session.durationMs / (chartPoints ?? 20_000)));
  const timeline = sessionTimeline(session, stepMs);
  return { session, minutes, intensity, timeline };
}

/** The chart of a pattern being edited, at full intensity under its pressure cap. */
export function previewPattern(pattern: Pattern, minutes: number, library: Library): Timeline {
  const session = compileSession(pattern, { minutes, intensity: 100 }, (id) =>
    id === pattern.id ? pattern : library.pattern(id),
  );
  return sessionTimeline(session, Math.max(20, Math.ceil(session.durationMs / 400)));
}
