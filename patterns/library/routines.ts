/**
 * Built-in guided routines. Their order follows the seed article: scalp care works the whole
 * scalp for at least five minutes; a relaxing head massage goes neck and shoulders, then scalp
 * and temples, then the base of the skull; both together start with the scalp and follow with
 * the head. Step minutes are proportions: the compiler scales them to the time you have.
 */
import type { Routine } from "../../protocol/pattern.ts";

const dailyHairCare = {
  id: "daily-hair-care",
  name: "Daily hair care",
  description:
    "Five minutes over the whole scalp, front to back, to bring blood to the hair roots. Once or twice a day, on wet or dry hair.",
  goal: "hair",
  steps: [
    {
      pattern: "scalp-wake-up",
      minutes: 1,
      cue: "Start at the front hairline: rest the massager flat on the scalp and move it a finger's width every few seconds.",
    },
    {
      pattern: "scalp-circles",
      minutes: 1.5,
      cue: "Move to the crown. Hold it with gentle, even pressure and let the head do the circling.",
    },
    {
      pattern: "scalp-circles",
      minutes: 1.5,
      cue: "Work down the sides, above and behind each ear, in small overlapping spots.",
    },
    {
      pattern: "scalp-tapping",
      minutes: 1,
      cue: "Finish at the back of the head: lift and place the massager lightly, spot by spot, up to the crown.",
    },
  ],
} as const satisfies Routine;

const relaxingHeadMassage = {
  id: "relaxing-head-massage",
  name: "Relaxing head massage",
  description:
    "A full head massage to unwind: neck and shoulders first, then the scalp and temples, and slow circles at the base of the skull to finish. Sit or lie somewhere calm.",
  goal: "relax",
  steps: [
    {
      pattern: "neck-shoulder-knead",
      minutes: 3,
      cue: "Neck and shoulders: press firmly into the top of one shoulder, then the other, then up the sides of the neck.",
    },
    {
      pattern: "scalp-circles",
      minutes: 2,
      cue: "Scalp: move the massager slowly over the top of the head, resting a few seconds in each spot.",
    },
    {
      pattern: "temple-acupressure",
      minutes: 2,
      cue: "Temples: hold it lightly on one temple through a hold and a release, then switch sides.",
    },
    {
      pattern: "skull-base-circles",
      minutes: 2,
      cue: "Base of the skull: hold it on the ridge where your neck meets your head, centre first, then each side.",
    },
  ],
} as const satisfies Routine;

const scalpThenHead = {
  id: "scalp-then-head",
  name: "Scalp care, then head massage",
  description:
    "Both at once: five minutes of scalp care for your hair first, then a head massage to let the tension go from neck, shoulders and temples.",
  goal: "both",
  steps: [
    {
      pattern: "scalp-circles",
      minutes: 5,
      cue: "Scalp: start at the hairline and work back to the crown and down the sides, moving a little every few seconds.",
    },
    {
      pattern: "neck-shoulder-knead",
      minutes: 2,
      cue: "Neck and shoulders: press into the tops of the shoulders and up the sides of the neck.",
    },
    {
      pattern: "temple-circles",
      minutes: 1.5,
      cue: "Temples: rest it lightly on one temple, then the other; no need to press.",
    },
    {
      pattern: "skull-base-circles",
      minutes: 1.5,
      cue: "Base of the skull: hold it on the ridge under the back of your head to finish.",
    },
  ],
} as const satisfies Routine;

const quickShower = {
  id: "quick-shower",
  name: "Quick shower scalp care",
  description:
    "Three minutes of scalp care while you shampoo: lather gently, then a brisker pass to lift flakes and old product before you rinse.",
  goal: "hair",
  steps: [
    {
      pattern: "shower-lather",
      minutes: 2,
      cue: "Apply shampoo, then glide the massager slowly over the whole scalp as you lather; let it do the work.",
    },
    {
      pattern: "scalp-refresh",
      minutes: 1,
      cue: "Go over the scalp once more, front to back, a little more slowly, then rinse.",
    },
  ],
} as const satisfies Routine;

const eveningWindDown = {
  id: "evening-wind-down",
  name: "Evening wind-down",
  description:
    "A gentle end to the day: smooth the forehead, circle the temples, then breathe along with a slow rhythm on the scalp and neck. Dim the lights first.",
  goal: "relax",
  steps: [
    {
      pattern: "forehead-smoothing",
      minutes: 2,
      cue: "Forehead: draw the massager lightly from the middle of your brow out to one temple, then the other.",
    },
    {
      pattern: "temple-circles",
      minutes: 2,
      cue: "Temples: rest it on one temple, then the other, barely touching.",
    },
    {
      pattern: "wind-down",
      minutes: 4,
      cue: "Scalp and neck: let it drift over the back of the head and down the neck, breathing with the rhythm.",
    },
  ],
} as const satisfies Routine;

const quickTensionRelief = {
  id: "quick-tension-relief",
  name: "Quick tension relief",
  description:
    "A short break for a stiff neck or a tension headache: knead the shoulders and neck, then hold the base of the skull and the temples.",
  goal: "relax",
  steps: [
    {
      pattern: "neck-shoulder-knead",
      minutes: 1.5,
      cue: "Shoulders and neck: press firmly into the top of each shoulder, then up the sides of the neck.",
    },
    {
      pattern: "headache-relief",
      minutes: 1.5,
      cue: "Hold it under the base of the skull for one hold, then on each temple for one hold.",
    },
  ],
} as const satisfies Routine;

/** Every built-in routine. */
export const ROUTINES = [
  dailyHairCare,
  relaxingHeadMassage,
  scalpThenHead,
  quickShower,
  eveningWindDown,
  quickTensionRelief,
] as const satisfies readonly Routine[];
