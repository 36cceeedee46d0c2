/**
 * Built-in head-massage patterns, mostly for relaxation. Facts from the seed article
 * (../shared/seed/): a head massage covers the scalp, face, neck and shoulders; neck and
 * shoulders take kneading and stroking with firmer pressure; the scalp and temples take
 * circles and gentle thumb pressure on pressure points; it finishes with slow circles on the
 * ridge where the neck meets the head. Kneading and acupressure can ease neck pain and headaches.
 */
import type { Pattern } from "../../protocol/pattern.ts";

/** Deep, rolling pulses with short turns: the squeeze-and-release rhythm of kneading. */
const neckShoulderKnead = {
  id: "neck-shoulder-knead",
  name: "Neck and shoulder kneading",
  description:
    "Firm, rolling squeeze-and-release pulses with short turns of the head, to work knots out of the neck and the tops of the shoulders where the day's tension collects.",
  goal: "relax",
  technique: "kneading",
  zones: ["neck", "shoulders"],
  pressure: "firm",
  recommendedMinutes: 4,
  vibration: [
    { ms: 700, to: 0.9, ease: "easeInOut" },
    { ms: 500, to: 0.9, ease: "linear" },
    { ms: 800, to: 0.45, ease: "easeInOut" },
  ],
  rotation: [
    { ms: 500, to: 0.8, ease: "easeInOut" },
    { ms: 500, to: 0.8, ease: "linear" },
    { ms: 500, to: -0.8, ease: "easeInOut" },
    { ms: 500, to: -0.8, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Long strokes down the neck: a swell of vibration with one slow turn each way. */
const neckStroke = {
  id: "neck-stroke",
  name: "Neck strokes",
  description:
    "Long, even strokes for the back and sides of the neck: the buzz swells as you draw the massager down and the head turns slowly, one way and then the other.",
  goal: "relax",
  technique: "stroking",
  zones: ["neck"],
  pressure: "medium",
  recommendedMinutes: 3,
  vibration: [
    { ms: 2500, to: 0.7, ease: "sine" },
    { ms: 1500, to: 0.35, ease: "sine" },
  ],
  rotation: [
    { ms: 1000, to: 0.45, ease: "easeInOut" },
    { ms: 1000, to: 0.45, ease: "linear" },
    { ms: 1000, to: -0.45, ease: "easeInOut" },
    { ms: 1000, to: -0.45, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Broad, firm kneading pulses for the shoulders alone, the head nearly still. */
const shoulderRelease = {
  id: "shoulder-release",
  name: "Shoulder release",
  description:
    "Broad, firm pulses that press in and let go along the tops of the shoulders, with only a slow drift of the head. For stiffness after long hours at a desk.",
  goal: "relax",
  technique: "kneading",
  zones: ["shoulders"],
  pressure: "firm",
  recommendedMinutes: 3,
  vibration: [
    { ms: 900, to: 1, ease: "easeOut" },
    { ms: 600, to: 1, ease: "linear" },
    { ms: 1000, to: 0.5, ease: "easeIn" },
  ],
  rotation: [
    { ms: 2500, to: 0.25, ease: "sine" },
    { ms: 2500, to: -0.25, ease: "sine" },
  ],
} as const satisfies Pattern;

/** Small, light circles for the temples, changing direction often. */
const templeCircles = {
  id: "temple-circles",
  name: "Temple circles",
  description:
    "Small, light circles for the temples, turning one way and then the other, to soften the tension behind a headache.",
  goal: "relax",
  technique: "circular",
  zones: ["temples"],
  pressure: "light",
  recommendedMinutes: 3,
  vibration: [
    { ms: 1500, to: 0.45, ease: "sine" },
    { ms: 1500, to: 0.3, ease: "sine" },
  ],
  rotation: [
    { ms: 500, to: 0.45, ease: "easeInOut" },
    { ms: 1500, to: 0.45, ease: "linear" },
    { ms: 500, to: -0.45, ease: "easeInOut" },
    { ms: 1500, to: -0.45, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Press, hold and release on the temples and brow, like thumbs on pressure points. */
const templeAcupressure = {
  id: "temple-acupressure",
  name: "Temple acupressure holds",
  description:
    "Slow press-hold-release on pressure points at the temples and along the brow: the buzz builds, holds still for a few breaths and lets go, the head turning gently between holds.",
  goal: "relax",
  technique: "acupressure",
  zones: ["temples", "forehead"],
  pressure: "medium",
  recommendedMinutes: 3,
  vibration: [
    { ms: 1200, to: 0.75, ease: "easeInOut" },
    { ms: 4000, to: 0.75, ease: "linear" },
    { ms: 1200, to: 0.1, ease: "easeInOut" },
    { ms: 1600, to: 0.1, ease: "linear" },
  ],
  rotation: [
    { ms: 1200, to: 0, ease: "easeInOut" },
    { ms: 4000, to: 0, ease: "linear" },
    { ms: 800, to: 0.3, ease: "easeInOut" },
    { ms: 1200, to: -0.3, ease: "easeInOut" },
    { ms: 800, to: 0, ease: "easeInOut" },
  ],
} as const satisfies Pattern;

/** Slow, deep circles on the ridge where the neck meets the head. */
const skullBaseCircles = {
  id: "skull-base-circles",
  name: "Base-of-skull circles",
  description:
    "Slow, deliberate circles on the ridge where the neck meets the head, turning a long way each direction, to let go of the tension that is left at the end of a massage.",
  goal: "relax",
  technique: "circular",
  zones: ["baseOfSkull"],
  pressure: "medium",
  recommendedMinutes: 3,
  vibration: [
    { ms: 3000, to: 0.65, ease: "sine" },
    { ms: 3000, to: 0.5, ease: "sine" },
  ],
  rotation: [
    { ms: 1000, to: 0.5, ease: "easeInOut" },
    { ms: 3500, to: 0.5, ease: "linear" },
    { ms: 1000, to: -0.5, ease: "easeInOut" },
    { ms: 3500, to: -0.5, ease: "linear" },
  ],
} as const satisfies Pattern;

/** Acupressure holds under the skull and at the temples, for headache relief. */
const headacheRelief = {
  id: "headache-relief",
  name: "Headache relief holds",
  description:
    "Steady holds under the base of the skull and at the temples, where pressure is said to ease tension headaches and jaw tightness. Rest the massager, let it work, then move it a little.",
  goal: "relax",
  technique: "acupressure",
  zones: ["baseOfSkull", "temples"],
  pressure: "medium",
  recommendedMinutes: 4,
  vibration: [
    { ms: 1500, to: 0.7, ease: "easeInOut" },
    { ms: 5000, to: 0.7, ease: "linear" },
    { ms: 1500, to: 0.2, ease: "easeInOut" },
    { ms: 2000, to: 0.2, ease: "linear" },
  ],
  rotation: [{ ms: 10_000, to: 0, ease: "linear" }],
} as const satisfies Pattern;

/** Slow outward strokes across the forehead, very light. */
const foreheadSmoothing = {
  id: "forehead-smoothing",
  name: "Forehead smoothing",
  description:
    "Feather-light strokes from the middle of the forehead out to the temples, the buzz fading at the end of each stroke, to smooth a furrowed brow.",
  goal: "relax",
  technique: "stroking",
  zones: ["forehead", "temples"],
  pressure: "light",
  recommendedMinutes: 3,
  vibration: [
    { ms: 800, to: 0.5, ease: "easeOut" },
    { ms: 2200, to: 0.15, ease: "easeIn" },
    { ms: 600, to: 0.15, ease: "linear" },
  ],
  rotation: [
    { ms: 1800, to: 0.3, ease: "sine" },
    { ms: 1800, to: -0.3, ease: "sine" },
  ],
} as const satisfies Pattern;

/** A slow breathing rhythm over scalp and neck, to end the day. */
const windDown = {
  id: "wind-down",
  name: "Slow wind-down",
  description:
    "A slow rhythm to breathe along with: the buzz rises over five seconds and falls over seven while the head drifts in long, lazy turns. For the scalp and neck at the end of the day.",
  goal: "relax",
  technique: "stroking",
  zones: ["scalp", "neck"],
  pressure: "light",
  recommendedMinutes: 6,
  vibration: [
    { ms: 5000, to: 0.45, ease: "sine" },
    { ms: 7000, to: 0.1, ease: "sine" },
  ],
  rotation: [
    { ms: 6000, to: 0.25, ease: "sine" },
    { ms: 6000, to: -0.25, ease: "sine" },
  ],
} as const satisfies Pattern;

/** The head-massage patterns of the built-in library. */
export const HEAD_PATTERNS = [
  neckShoulderKnead,
  neckStroke,
  shoulderRelease,
  templeCircles,
  templeAcupressure,
  skullBaseCircles,
  headacheRelief,
  foreheadSmoothing,
  windDown,
] as const satisfies readonly Pattern[];
