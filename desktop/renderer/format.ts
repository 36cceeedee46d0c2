/** Words and numbers as the UI shows them. */
import type { Pressure, Technique, Zone } from "../../protocol/pattern.ts";

export const ZONE_LABELS: Record<Zone, string> = {
  scalp: "Scalp",
  temples: "Temples",
  forehead: "Forehead",
  neck: "Neck",
  shoulders: "Shoulders",
  baseOfSkull: "Base of the skull",
};

export const TECHNIQUE_LABELS: Record<Technique, string> = {
  circular: "Circular motions",
  kneading: "Kneading",
  tapping: "Tapping",
  acupressure: "Acupressure",
  stroking: "Stroking",
  lather: "Shower lather",
};

export const PRESSURE_LABELS: Record<Pressure, string> = {
  light: "Light pressure",
  medium: "Medium pressure",
  firm: "Firm pressure",
};

/** `m:ss` for a duration in ms (rounded up, so the countdown reaches 0:00 only at the end). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** A duration in minutes as `m:ss` (to the second), the way every duration is shown. */
export function minutesText(minutes: number): string {
  const total = Math.max(0, Math.round(minutes * 60));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** Rotation as a direction and a level: "clockwise, 40 %"; negative turns counter-clockwise. */
export function rotationText(level: number): string {
  const amount = Math.round(Math.abs(level) * 100);
  if (amount === 0) return "still";
  return `${level > 0 ? "clockwise" : "counter-clockwise"}, ${amount} %`;
}

export function percent(level: number): string {
  return `${Math.round(level * 100)} %`;
}
