/**
 * The bounds the UI's inputs and steps keep to, read from the schemas the app's API validates
 * with (device/app/contract.ts), so a form never offers what the app would refuse.
 */
import type { z } from "zod";
import {
  DEFAULT_SETTINGS,
  RecommendRequestSchema,
  SessionRequestSchema,
  SettingsSchema,
  SourceIdSchema,
} from "../../device/app/contract.ts";
import type { Range } from "../../patterns/pattern-limits.ts";

function range(schema: z.ZodNumber): Range {
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** The minutes a person says they have, for a recommendation. */
export const AVAILABLE_MINUTES = range(RecommendRequestSchema.shape.minutes);
/** A session's length in minutes (the person's maximum caps it further). */
export const SESSION_MINUTES = range(SessionRequestSchema.shape.minutes);
/** A session's intensity in percent (the person's maximum and the pressure cap it further). */
export const SESSION_INTENSITY = range(SessionRequestSchema.shape.intensity);
/** Settings: the person's maximum intensity, percent. */
export const MAX_INTENSITY_SETTING = range(SettingsSchema.shape.maxIntensity);
/** Settings: the person's longest session, minutes. */
export const MAX_SESSION_MINUTES_SETTING = range(SettingsSchema.shape.maxSessionMinutes);
/** The guide's volume when the form has none, percent. */
export const DEFAULT_VOLUME_PERCENT = Math.round(DEFAULT_SETTINGS.guidance.volume * 100);
/** The first reminder time offered when none is set. */
export const FIRST_REMINDER_TIME = DEFAULT_SETTINGS.reminders.times[0] ?? "";
/** The longest pattern or routine id. */
export const MAX_ID_LENGTH = SourceIdSchema.maxLength ?? Number.MAX_SAFE_INTEGER;

/** Each − or + press (and the ↑ ↓ keys) changes the live intensity by this many percent; it never goes below one step. */
export const INTENSITY_STEP = 5;
/** How much of a pattern the editor's preview plays, minutes. */
export const PREVIEW_MINUTES = 0.5;
/** The intensity a card starts at before the person has used it. */
export const FIRST_INTENSITY = 60;
