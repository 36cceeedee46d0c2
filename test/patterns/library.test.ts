import { describe, expect, it } from "vitest";
import { defaultMinutes, getPattern, getRoutine, listPatterns, listRoutines } from "../../patterns/index.ts";
import { PatternSchema, RoutineSchema, TECHNIQUES, ZONES } from "../../protocol/index.ts";

describe("the built-in library", () => {
  it("holds at least 12 valid patterns with unique ids, found by getPattern", () => {
    const patterns = listPatterns();
    expect(patterns.length).toBeGreaterThanOrEqual(12);
    expect(new Set(patterns.map((pattern) => pattern.id)).size).toBe(patterns.length);
    for (const pattern of patterns) {
      expect(PatternSchema.safeParse(pattern).success, pattern.id).toBe(true);
      expect(getPattern(pattern.id)).toBe(pattern);
    }
    expect(getPattern("no-such-pattern")).toBeUndefined();
  });

  it("covers every technique and every zone of the pattern model", () => {
    const patterns = listPatterns();
    expect(new Set(patterns.map((pattern) => pattern.technique))).toEqual(new Set(TECHNIQUES));
    expect(new Set(patterns.flatMap((pattern) => pattern.zones))).toEqual(new Set(ZONES));
  });

  it("recommends at least 5 minutes for every scalp pattern and keeps every track to 8 keyframes", () => {
    for (const pattern of listPatterns()) {
      if (pattern.zones.includes("scalp") || pattern.goal === "hair") {
        expect(pattern.recommendedMinutes, pattern.id).toBeGreaterThanOrEqual(5);
      }
      expect(pattern.vibration.length, pattern.id).toBeLessThanOrEqual(8);
      expect(pattern.rotation.length, pattern.id).toBeLessThanOrEqual(8);
    }
  });

  it("turns circles both ways", () => {
    for (const pattern of listPatterns().filter((p) => p.technique === "circular")) {
      const speeds = pattern.rotation.map((key) => key.to);
      expect(Math.max(...speeds), pattern.id).toBeGreaterThan(0);
      expect(Math.min(...speeds), pattern.id).toBeLessThan(0);
    }
  });

  it("holds valid routines whose steps name built-in patterns and carry a cue", () => {
    const routines = listRoutines();
    expect(routines.length).toBeGreaterThanOrEqual(4);
    for (const routine of routines) {
      expect(RoutineSchema.safeParse(routine).success, routine.id).toBe(true);
      expect(getRoutine(routine.id)).toBe(routine);
      for (const step of routine.steps) {
        expect(getPattern(step.pattern), `${routine.id} → ${step.pattern}`).toBeDefined();
        expect(step.cue.length).toBeGreaterThan(20);
      }
    }
  });

  it("has a daily hair routine of at least 5 minutes and a quick shower routine", () => {
    const daily = getRoutine("daily-hair-care");
    if (!daily) throw new Error("daily-hair-care missing");
    expect(daily.goal).toBe("hair");
    expect(defaultMinutes(daily)).toBeGreaterThanOrEqual(5);
    const shower = getRoutine("quick-shower");
    expect(shower?.steps.some((step) => getPattern(step.pattern)?.technique === "lather")).toBe(true);
  });

  it("orders the relaxation massage neck and shoulders, then scalp and temples, then the base of the skull", () => {
    const zones = (getRoutine("relaxing-head-massage")?.steps ?? []).map(
      (step) => getPattern(step.pattern)?.zones ?? [],
    );
    expect(zones[0]).toEqual(expect.arrayContaining(["neck", "shoulders"]));
    const middle = zones.slice(1, -1).flat();
    expect(middle).toEqual(expect.arrayContaining(["scalp", "temples"]));
    expect(zones.at(-1)).toEqual(["baseOfSkull"]);
  });

  it("starts the combined routine with the scalp and follows with the head", () => {
    const steps = getRoutine("scalp-then-head")?.steps ?? [];
    expect(getPattern(steps[0]?.pattern ?? "")?.zones).toEqual(["scalp"]);
    expect(steps[0]?.minutes).toBeGreaterThanOrEqual(5);
    const rest = steps.slice(1).flatMap((step) => getPattern(step.pattern)?.zones ?? []);
    expect(rest).toEqual(expect.arrayContaining(["neck", "shoulders", "temples"]));
  });
});
