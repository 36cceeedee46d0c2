/** The renderer's state: one plain object, held by the Store (store.ts) and changed only through it by the actions; and what views derive from it. */
import type { ApiResult } from "../../device/app/app-api.ts";
import type {
  AppStatus,
  FlashProgress,
  FlashRequest,
  MotorTestProgress,
  SessionRequest,
  Settings,
  Timeline,
} from "../../device/app/contract.ts";
import { DEFAULT_SETTINGS } from "../../device/app/contract.ts";
import type { LibraryCard } from "../../device/app/library.ts";
import type { Goal, Pattern, PatternInput, Zone } from "../../protocol/pattern.ts";

export const SCREENS = [
  "start",
  "library",
  "setup",
  "safety",
  "live",
  "devices",
  "editor",
  "history",
  "settings",
] as const;
export type Screen = (typeof SCREENS)[number];

export interface Notice {
  kind: "error" | "info" | "warn";
  message: string;
  hint?: string | undefined;
}

/** A start that failed before anything played: plain words, the fix, and the technical detail behind a toggle. */
export interface StartFailure {
  message: string;
  fix: string;
  detail: string;
}

export interface SetupState {
  card: LibraryCard;
  minutes: number;
  intensity: number;
  /** Why this session was suggested, when it came from the recommendation. */
  reason?: string;
  /** The recommended variant's step minutes (a routine shared differently from its stored steps). */
  stepMinutes?: number[];
  plan: ApiResult<"planSession"> | undefined;
}

/** What to ask the app for this set-up: the card, its minutes and intensity, and a recommendation's variant. */
export function sessionRequest(setup: SetupState): SessionRequest {
  return {
    sourceId: setup.card.id,
    minutes: setup.minutes,
    intensity: setup.intensity,
    ...(setup.stepMinutes ? { stepMinutes: setup.stepMinutes } : {}),
  };
}

export interface EditorState {
  draft: PatternInput;
  /** The id it was loaded with, when editing an existing pattern. */
  loadedId: string | undefined;
  errors: string[];
  preview: Timeline | undefined;
  /** A save refused because the id is a built-in's: why, and the id a copy would get. */
  copyOffer?: { reason: string; id: string } | undefined;
  /** Delete was pressed once: the editor asks to confirm. */
  confirmDelete?: boolean | undefined;
  /** The pattern deleted last, restorable until the next save. */
  undo?: Pattern | undefined;
}

/** The Device screen's hardware tools: the latest progress events, and the board chosen for flashing. */
export interface ToolsState {
  motorTest: MotorTestProgress | undefined;
  flash: FlashProgress | undefined;
  /** Optiboot (Uno, newer Nano) or the old Nano bootloader. */
  board: FlashRequest["board"];
}

const RUNNING_TEST: ReadonlySet<MotorTestProgress["phase"]> = new Set(["starting", "step"]);
const RUNNING_FLASH: ReadonlySet<FlashProgress["phase"]> = new Set(["starting", "write", "verify", "reconnecting"]);

/** The latest motor test progress: from the events, or from the status for a window opened mid-test. */
export function motorTestOf(state: Readonly<UiState>): MotorTestProgress | undefined {
  return state.tools.motorTest ?? state.status?.motorTest;
}

export function isTesting(state: Readonly<UiState>): boolean {
  const test = motorTestOf(state);
  return test !== undefined && RUNNING_TEST.has(test.phase);
}

export function isFlashing(state: Readonly<UiState>): boolean {
  const flash = state.tools.flash;
  return flash !== undefined && RUNNING_FLASH.has(flash.phase);
}

export interface UiState {
  screen: Screen;
  status: AppStatus | undefined;
  /** False while the browser's event socket is down (serve only). */
  linkUp: boolean;
  settings: Settings;
  cards: LibraryCard[];
  libraryProblems: string[];
  goal: Goal;
  minutesAvailable: number;
  recommendation: ApiResult<"recommend"> | undefined;
  filter: { goal: Goal | "all"; zone: Zone | "all" };
  setup: SetupState | undefined;
  devices: ApiResult<"listDevices"> | undefined;
  devicesLoading: boolean;
  history: ApiResult<"getHistory"> | undefined;
  editor: EditorState;
  notice: Notice | undefined;
  busy: boolean;
  /** The last cue the guide gave, carried by the live region. */
  guideText: string;
  /** Why the last start failed (the device did not connect): the set-up stays, with a retry. */
  startFailure: StartFailure | undefined;
  /** The last intensity used per routine or pattern id. */
  intensities: Record<string, number>;
  /** The compact navigation on a phone is open. */
  menuOpen: boolean;
  tools: ToolsState;
}

export function blankPattern(): PatternInput {
  return {
    id: "my-pattern",
    name: "My pattern",
    description: "Slow circles with a gentle pulse.",
    goal: "relax",
    technique: "circular",
    zones: ["scalp"],
    pressure: "light",
    recommendedMinutes: 5,
    vibration: [
      { ms: 1500, to: 0.5, ease: "easeInOut" },
      { ms: 1500, to: 0.2, ease: "easeInOut" },
    ],
    rotation: [
      { ms: 3000, to: 0.4, ease: "linear" },
      { ms: 3000, to: -0.4, ease: "linear" },
    ],
  };
}

export function initialState(): UiState {
  return {
    screen: "start",
    status: undefined,
    linkUp: true,
    settings: { ...DEFAULT_SETTINGS },
    cards: [],
    libraryProblems: [],
    goal: "hair",
    minutesAvailable: 10,
    recommendation: undefined,
    filter: { goal: "all", zone: "all" },
    setup: undefined,
    devices: undefined,
    devicesLoading: false,
    history: undefined,
    editor: { draft: blankPattern(), loadedId: undefined, errors: [], preview: undefined },
    notice: undefined,
    busy: false,
    guideText: "",
    startFailure: undefined,
    intensities: {},
    menuOpen: false,
    tools: { motorTest: undefined, flash: undefined, board: "uno" },
  };
}
