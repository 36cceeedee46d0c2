/**
 * The one contract between the app's UI and the Node side, whatever carries it (Electron IPC
 * or the `massager serve` HTTP API): every method's arguments as a zod tuple, and the events
 * pushed to the UI. Renderer-safe: zod and types only, no Node built-ins.
 *
 * The methods' results are typed by the implementation (`AppApi` in app-api.ts); the preload,
 * the HTTP client and the dispatcher all derive their shape from these two, so nothing is
 * kept in sync by hand.
 */
import { z } from "zod";
import type { Timeline } from "../../patterns/compiler/timeline.ts";
import type { DeviceState, StateReason } from "../../protocol/commands.ts";
import type { DeviceInfo } from "../../protocol/device-info.ts";
import { GoalSchema, PatternSchema } from "../../protocol/pattern.ts";
import type { SessionStep } from "../../protocol/session.ts";
import type { ConnectionStatus, SessionStatus } from "../controller/types.ts";

/** The chart of a session: defined once, where the compiler samples it. */
export type { Timeline };

/** Pattern and routine ids: lower-case words joined by hyphens. */
export const SourceIdSchema = z
  .string()
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a pattern or routine id like scalp-circles");

/** A `--device` spec such as `sim`, `serial:/dev/ttyUSB0`, `tcp:127.0.0.1:7878` or `ble:...`. */
const DeviceSpecSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][\w.:/@\\=,+-]*$/, "must be a device spec like sim or serial:/dev/ttyUSB0");

export const RecommendRequestSchema = z
  .object({
    goal: GoalSchema,
    /** The minutes the person has, 1..120. */
    minutes: z.number().min(1).max(120),
  })
  .strict();

export const SessionRequestSchema = z
  .object({
    sourceId: SourceIdSchema,
    /** Session length, 0.5..240 minutes; the person's maximum session length caps it too. */
    minutes: z.number().min(0.5).max(240),
    /** Overall intensity in percent, 1..100; the person's maximum intensity caps it too. */
    intensity: z.number().int().min(1).max(100),
    /**
     * A routine's variant: the minutes of each of its steps, as the recommendation shared them
     * (RecommendationView.stepMinutes); they weight the steps within `minutes`. Absent: the routine
     * as stored. The request alone says what plays, so planning it again gives the same program.
     */
    stepMinutes: z.array(z.number().positive().max(240)).min(1).max(64).optional(),
  })
  .strict();

export const THEMES = ["light", "dark"] as const;

/** A time of day, `HH:MM` in 24 hours. */
const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time like 08:30");

/** Daily reminders: off until the person turns them on; once or twice a day at the times they pick. */
const RemindersSchema = z
  .object({
    enabled: z.boolean(),
    times: z.array(TimeOfDaySchema).min(1).max(2),
  })
  .strict();

/** Spoken and chimed guidance during a session. */
const GuidanceSchema = z
  .object({
    /** No chime and no voice; the live region still carries every cue. */
    muted: z.boolean(),
    /** 0..1 for the chime and the voice. */
    volume: z.number().min(0).max(1),
    /** The speech synthesis voice's name; empty picks the browser's default for the page language. */
    voice: z.string().max(200),
  })
  .strict();

// The fields added after 1.0 have defaults, so a settings file written before them still loads.
export const SettingsSchema = z
  .object({
    /** The highest intensity any session may use, percent. */
    maxIntensity: z.number().int().min(10).max(100),
    /** The longest session, minutes. */
    maxSessionMinutes: z.number().int().min(1).max(240),
    defaultDevice: DeviceSpecSchema,
    theme: z.enum(THEMES),
    guidance: GuidanceSchema.default({ muted: false, volume: 0.8, voice: "" }),
    /** A short double pulse of the vibration motor at each step change, compiled into the program. */
    stepCue: z.boolean().default(true),
    /** The person confirmed their massager is rated for use in water: shower routines are shown. */
    waterRated: z.boolean().default(false),
    /** The safety screen was read (it is shown once, before the first session). */
    safetySeen: z.boolean().default(false),
    reminders: RemindersSchema.default({ enabled: false, times: ["08:00"] }),
  })
  .strict();

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  maxIntensity: 80,
  maxSessionMinutes: 30,
  defaultDevice: "sim",
  theme: "light",
  guidance: { muted: false, volume: 0.8, voice: "" },
  stepCue: true,
  waterRated: false,
  safetySeen: false,
  reminders: { enabled: false, times: ["08:00"] },
});

/** A session counts toward the streak and the "once or twice a day" goal after this long, or when it completed. */
export const COUNTS_AFTER_MINUTES = 5;

/** Live intensity during a session: the person's intensity, 0..100; their maximum caps it. */
const SetIntensityRequestSchema = z.object({ percent: z.number().int().min(0).max(100) }).strict();

const PreviewRequestSchema = z
  .object({
    pattern: PatternSchema,
    /** How much of the pattern to sample, 0.1..10 minutes. */
    minutes: z.number().min(0.1).max(10),
  })
  .strict();

/** Flashing the prebuilt massager firmware to an Arduino the device list shows (flashFirmware). */
const FlashRequestSchema = z
  .object({
    /** The port's path as listed, e.g. /dev/ttyACM0 or COM3 (without `serial:`). */
    port: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w./\\:-]+$/, "must be a serial port path like /dev/ttyACM0"),
    /** uno: Optiboot at 115200 baud (Uno, newer Nano); nano: the old Nano bootloader at 57600. */
    board: z.enum(["uno", "nano"]),
  })
  .strict();

const none = z.tuple([]);

/** Every API method and the arguments it accepts. Adding a method here and in app-api.ts is all it takes. */
export const API_ARGS = {
  getLibrary: none,
  recommend: z.tuple([RecommendRequestSchema]),
  planSession: z.tuple([SessionRequestSchema]),
  startSession: z.tuple([SessionRequestSchema]),
  pauseSession: none,
  resumeSession: none,
  stopSession: none,
  emergencyStop: none,
  getStatus: none,
  listDevices: none,
  scanBluetooth: none,
  connectDevice: z.tuple([DeviceSpecSchema]),
  getPattern: z.tuple([SourceIdSchema]),
  previewPattern: z.tuple([PreviewRequestSchema]),
  // The pattern files' schema has no length limit on ids; the app's do (a file name must fit).
  savePattern: z.tuple([
    PatternSchema.refine((pattern) => pattern.id.length <= 80, { message: "at most 80 characters", path: ["id"] }),
  ]),
  deletePattern: z.tuple([SourceIdSchema]),
  getHistory: none,
  getSettings: none,
  saveSettings: z.tuple([SettingsSchema]),
  setIntensity: z.tuple([SetIntensityRequestSchema]),
  /** The last intensity used for each routine or pattern, by id. */
  getIntensities: none,
  /** Each motor alone at a low level on the connected device, saying what should move (motorTest events). */
  testMotors: none,
  /** Writes the prebuilt massager firmware to an Arduino, then connects to it (flash events). */
  flashFirmware: z.tuple([FlashRequestSchema]),
} as const;

export type ApiMethod = keyof typeof API_ARGS;
export const API_METHODS = Object.keys(API_ARGS) as ApiMethod[];
export type ApiArgs<M extends ApiMethod> = z.infer<(typeof API_ARGS)[M]>;

/** The shape every implementation of the API has; results are narrowed by the implementation. */
export type ApiShape = { [M in ApiMethod]: (...args: ApiArgs<M>) => Promise<unknown> };

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === "string" && Object.hasOwn(API_ARGS, name);
}

export type RecommendRequest = z.infer<typeof RecommendRequestSchema>;
export type SessionRequest = z.infer<typeof SessionRequestSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type Reminders = z.infer<typeof RemindersSchema>;
export type FlashRequest = z.infer<typeof FlashRequestSchema>;
export type Theme = (typeof THEMES)[number];

/** An error as it crosses to the UI: the message names the code, the hint says how to fix it. */
export interface ApiError {
  code: number;
  message: string;
  hint?: string;
}

/** One point of a chart: time in ms and the two outputs (vibration 0..1, rotation -1..1). */
export interface ChartPoint {
  tMs: number;
  vibration: number;
  rotation: number;
}

export interface LiveSession {
  /** What it was planned from: planning this again (another window adopting it) gives the same program. */
  request: SessionRequest;
  sourceId: string;
  name: string;
  status: SessionStatus;
  durationMs: number;
  positionMs: number;
  intensity: number;
  step: SessionStep | undefined;
  steps: SessionStep[];
  startedAt: string;
}

/** Everything the UI shows about the device and the session, pushed whenever it changes. */
export interface AppStatus {
  device: {
    spec: string;
    description: string;
    connection: ConnectionStatus;
    reconnectAttempt?: number;
    info?: DeviceInfo;
    state?: DeviceState;
    reason?: StateReason;
    error?: ApiError;
    /** What the motors apply right now, read from the device itself where it can be (the simulator). */
    motors?: { vibration: number; rotation: number };
  };
  session: LiveSession | undefined;
  /** The levels the motors last applied (telemetry), 0..1 and -1..1. */
  applied: { vibration: number; rotation: number };
  /** How the last session ended, until the next one starts. */
  lastEnd: SessionEndSummary | undefined;
  /** The motor test's latest progress (also sent as events), so a window opened mid-test shows its Stop. */
  motorTest?: MotorTestProgress;
}

export interface SessionEndSummary {
  completed: boolean;
  reason: string;
  error?: ApiError;
  /** What ran, for the end screen: how long it really played of how long it was planned. */
  summary?: {
    sourceId: string;
    name: string;
    playedMs: number;
    durationMs: number;
    minutes: number;
    intensity: number;
    /** A recommendation's variant (SessionRequest.stepMinutes), so "Again" plays the same. */
    stepMinutes?: number[];
  };
}

export type AppEvent =
  | { type: "status"; status: AppStatus }
  | { type: "telemetry"; point: ChartPoint }
  /** Settings saved (by this window or another): reminders and guidance follow them at once. */
  | { type: "settings"; settings: Settings }
  | { type: "motorTest"; test: MotorTestProgress }
  | { type: "flash"; flash: FlashProgress };

/** Where the motor test is: each step says in words what should be moving. */
export interface MotorTestProgress {
  phase: "starting" | "step" | "done" | "stopped" | "failed";
  /** The device under test, e.g. `Simulated massager` or `serial:/dev/ttyACM0`. */
  device: string;
  /** What the device reports of itself, once it answered. */
  firmware?: string;
  pins?: string;
  step?: { index: number; count: number; name: string; expect: string; ms: number };
  error?: ApiError;
}

/** Where flashing is: the same phases and byte counts as `massager flash`. */
export interface FlashProgress {
  phase: "starting" | "write" | "verify" | "reconnecting" | "done" | "failed";
  port: string;
  /** Bytes done of the phase's total (write and verify). */
  done: number;
  total: number;
  /** What the new firmware answered (reconnecting, done). */
  firmware?: string;
  pins?: string;
  error?: ApiError;
}

/** How a call's outcome crosses IPC and HTTP: errors travel as data, so their code and hint survive. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiError };
