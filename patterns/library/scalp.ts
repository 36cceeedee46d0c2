/**
 * Built-in scalp patterns, mostly for hair and scalp health. Facts from the seed article
 * (../shared/seed/): small circles with moderate pressure all over the scalp, at least five
 * minutes once or twice a day; light to medium pressure; it can be done while lathering
 * shampoo; better blood flow feeds the follicles, and massage loosens flakes and old product.
 */
import type { Pattern } from "../../protocol/pattern.ts";

/** Slow circles that change direction every few seconds, like fingertips working in small rings. */
const scalpCircles = {
  id: "scalp-circles",
  name: "Scalp circles",
  description:
    "Small, steady circles over the whole scalp with moderate pressure. The head turns one way, eases through a stop and turns back, the way fingertips work in little rings to bring blood to the hair roots.",
  goal: "hair",
  technique: "circular",
  zones: ["scalp"],
  pressure: "medium",
  recommendedMinutes: 5,
  vibration: [
    { ms: 2000, to: 0.55, ease: "sine" },
    { ms: 2000, to: 0.7, ease: "sine" },
  ],
  rotation: [
    { ms: 700, to: 0.6, ease: "easeInOut" },
    { ms: 3300, to: 0.6, ease: "linear" },
    { ms: 700, to: -0.6, ease: "easeInOut" },
    { ms: 3300, to: -0.6, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Quicker, shorter turns that alternate: a brisk start that gets the circulation going. */
const scalpWakeUp = {
  id: "scalp-wake-up",
  name: "Scalp wake-up",
  description:
    "Brisk little back-and-forth turns with a lively buzz, to wake the scalp up before longer circles. A good first minute when your hair is dry.",
  goal: "hair",
  technique: "circular",
  zones: ["scalp"],
  pressure: "medium",
  recommendedMinutes: 5,
  vibration: [
    { ms: 600, to: 0.75, ease: "easeOut" },
    { ms: 900, to: 0.6, ease: "easeIn" },
  ],
  rotation: [
    { ms: 400, to: 0.75, ease: "easeInOut" },
    { ms: 1100, to: 0.75, ease: "linear" },
    { ms: 400, to: -0.75, ease: "easeInOut" },
    { ms: 1100, to: -0.75, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Gentle, even motion while shampoo is worked in: light pressure, long sweeps. */
const showerLather = {
  id: "shower-lather",
  name: "Shower lather",
  description:
    "A gentle mode for the shower: soft vibration and long, slow sweeps that spread shampoo and lift flakes and leftover product while you lather, without tugging wet hair.",
  goal: "hair",
  technique: "lather",
  zones: ["scalp"],
  pressure: "light",
  recommendedMinutes: 5,
  vibration: [
    { ms: 3000, to: 0.45, ease: "sine" },
    { ms: 3000, to: 0.3, ease: "sine" },
  ],
  rotation: [
    { ms: 1000, to: 0.4, ease: "easeInOut" },
    { ms: 5000, to: 0.4, ease: "linear" },
    { ms: 1000, to: -0.4, ease: "easeInOut" },
    { ms: 5000, to: -0.4, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Steady medium rings with a stronger pulse every cycle: for working over loosened buildup. */
const scalpRefresh = {
  id: "scalp-refresh",
  name: "Scalp refresh",
  description:
    "Firm-feeling but medium-pressure rings with a pulse at the end of each turn, to loosen dead skin, flakes and extra oil that can clog the follicles. Works wet or dry.",
  goal: "hair",
  technique: "circular",
  zones: ["scalp"],
  pressure: "medium",
  recommendedMinutes: 5,
  vibration: [
    { ms: 1500, to: 0.6, ease: "linear" },
    { ms: 300, to: 0.8, ease: "easeOut" },
    { ms: 700, to: 0.6, ease: "easeIn" },
  ],
  rotation: [
    { ms: 500, to: 0.7, ease: "easeInOut" },
    { ms: 2000, to: 0.7, ease: "linear" },
    { ms: 500, to: -0.7, ease: "easeInOut" },
    { ms: 2000, to: -0.7, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Very slow, light circles meant for working an oil blend into the scalp. */
const oilInfusion = {
  id: "oil-infusion",
  name: "Oil infusion",
  description:
    "Slow, light circles for when you have worked a few drops of carrier oil (jojoba or almond, perhaps with rosemary or peppermint) into your scalp: it spreads the oil without rushing.",
  goal: "hair",
  technique: "circular",
  zones: ["scalp"],
  pressure: "light",
  recommendedMinutes: 6,
  vibration: [
    { ms: 4000, to: 0.35, ease: "sine" },
    { ms: 4000, to: 0.5, ease: "sine" },
  ],
  rotation: [
    { ms: 1200, to: 0.35, ease: "easeInOut" },
    { ms: 4800, to: 0.35, ease: "linear" },
    { ms: 1200, to: -0.35, ease: "easeInOut" },
    { ms: 4800, to: -0.35, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Short light taps all over the scalp: stimulation without rubbing. */
const scalpTapping = {
  id: "scalp-tapping",
  name: "Scalp tapping",
  description:
    "Quick, light taps like fingertips drumming on the scalp, with the head still. It livens up the scalp and eases the mild tension that tight scalp muscles bring.",
  goal: "both",
  technique: "tapping",
  zones: ["scalp"],
  pressure: "light",
  recommendedMinutes: 5,
  // Quick eased rises and falls rather than steps: the taps stay crisp under the device's slew limit.
  vibration: [
    { ms: 150, to: 0.65, ease: "easeOut" },
    { ms: 100, to: 0.65, ease: "linear" },
    { ms: 150, to: 0.15, ease: "easeIn" },
    { ms: 100, to: 0.15, ease: "linear" },
    { ms: 150, to: 0.65, ease: "easeOut" },
    { ms: 100, to: 0.65, ease: "linear" },
    { ms: 150, to: 0.15, ease: "easeIn" },
    { ms: 600, to: 0.15, ease: "linear" },
  ],
  rotation: [{ ms: 1500, to: 0, ease: "linear" }],
} as const satisfies Pattern;

/** The scalp patterns of the built-in library. */
export const SCALP_PATTERNS = [
  scalpCircles,
  scalpWakeUp,
  showerLather,
  scalpRefresh,
  oilInfusion,
  scalpTapping,
] as const satisfies readonly Pattern[];
