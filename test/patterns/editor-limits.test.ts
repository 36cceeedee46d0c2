/** The pattern editor's bounds and the set-up's intensity cap come from the rules the app validates with. */
import { describe, expect, it } from "vitest";
import { intensityCap, pressureCapPercent } from "../../patterns/intensity-cap.ts";
import { PATTERN_LIMITS } from "../../patterns/pattern-limits.ts";
import { MAX_KEY_DURATION_MS } from "../../protocol/limits.ts";
import { type PatternInput, PatternSchema } from "../../protocol/pattern.ts";

const base: PatternInput = {
  id: "limits",
  name: "Limits",
  description: "At the edges.",
  goal: "relax",
  technique: "circular",
  zones: ["scalp"],
  pressure: "light",
  recommendedMinutes: 5,
  vibration: [{ ms: 1000, to: 0.5 }],
  rotation: [{ ms: 1000, to: 0 }],
};

const valid = (change: Partial<PatternInput>) => PatternSchema.safeParse({ ...base, ...change }).success;
const keys = (count: number, ms = 1000) => Array.from({ length: count }, () => ({ ms, to: 0.2 }));

describe("PATTERN_LIMITS", () => {
  it("allows as many keyframes as a pattern file may hold, and not one more", () => {
    const { keyframes } = PATTERN_LIMITS;
    expect(keyframes).toBe(16);
    expect(valid({ vibration: keys(keyframes), rotation: keys(keyframes) })).toBe(true);
    expect(valid({ vibration: keys(keyframes + 1) })).toBe(false);
    expect(valid({ rotation: keys(keyframes + 1) })).toBe(false);
  });

  it("bounds a keyframe's time, its levels and the recommended minutes as the schema does", () => {
    const { keyframeMs, vibration, rotation, recommendedMinutes } = PATTERN_LIMITS;
    expect(keyframeMs).toEqual({ min: 1, max: MAX_KEY_DURATION_MS });
    expect(valid({ vibration: keys(1, keyframeMs.max) })).toBe(true);
    expect(valid({ vibration: keys(1, keyframeMs.max + 1) })).toBe(false);
    expect(valid({ vibration: keys(1, keyframeMs.min - 1) })).toBe(false);
    expect(vibration).toEqual({ min: 0, max: 1 });
    expect(rotation).toEqual({ min: -1, max: 1 });
    expect(valid({ rotation: [{ ms: 100, to: rotation.min }] })).toBe(true);
    expect(valid({ vibration: [{ ms: 100, to: vibration.min - 0.01 }] })).toBe(false);
    expect(valid({ recommendedMinutes: recommendedMinutes.min })).toBe(true);
    expect(valid({ recommendedMinutes: recommendedMinutes.max + 0.5 })).toBe(false);
  });
});

describe("intensityCap", () => {
  it("is the lower of the person's maximum and the pressure's cap, in percent", () => {
    expect(pressureCapPercent("light")).toBe(60);
    expect(pressureCapPercent("firm")).toBe(100);
    expect(intensityCap("light", 80)).toBe(60);
    expect(intensityCap("medium", 70)).toBe(70);
    expect(intensityCap("firm", 100)).toBe(100);
  });
});
