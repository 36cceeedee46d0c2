import { describe, expect, it } from "vitest";
import { compileSession, defaultMinutes, getPattern, recommend } from "../../patterns/index.ts";
import { ErrorCode } from "../../protocol/index.ts";

const scalpMs = (routine: Parameters<typeof compileSession>[0], minutes: number) =>
  compileSession(routine, { minutes, intensity: 50 })
    .steps.filter((step) => step.zones.includes("scalp"))
    .reduce((sum, step) => sum + step.durationMs, 0);

describe("recommend", () => {
  it("gives hair care five minutes or more when there is time", () => {
    for (const minutes of [undefined, 5, 12]) {
      const pick = recommend({ goal: "hair", ...(minutes === undefined ? {} : { minutes }) });
      expect(pick.routine.goal).toBe("hair");
      expect(pick.minutes).toBe(minutes ?? defaultMinutes(pick.routine));
      expect(pick.minutes).toBeGreaterThanOrEqual(5);
      expect(pick.reason).not.toContain("\n");
    }
  });

  it("suggests the quick shower routine for three minutes of hair care", () => {
    const pick = recommend({ goal: "hair", minutes: 3 });
    expect(pick.routine.id).toBe("quick-shower");
    expect(pick.minutes).toBe(3);
    expect(pick.reason).toMatch(/3 minutes/);
  });

  it("suggests the full head massage for relaxation, and a short break when time is short", () => {
    expect(recommend({ goal: "relax" }).routine.id).toBe("relaxing-head-massage");
    const short = recommend({ goal: "relax", minutes: 2 });
    expect(short.minutes).toBe(2);
    expect(short.routine.steps.every((step) => getPattern(step.pattern)?.goal === "relax")).toBe(true);
  });

  it("puts the scalp first for both goals and keeps it at five minutes when time allows", () => {
    const roomy = recommend({ goal: "both" });
    expect(roomy.routine.id).toBe("scalp-then-head");
    expect(scalpMs(roomy.routine, roomy.minutes)).toBeGreaterThanOrEqual(300_000);
    const tight = recommend({ goal: "both", minutes: 8 });
    expect(tight.minutes).toBe(8);
    expect(scalpMs(tight.routine, 8)).toBe(300_000);
    expect(tight.routine.steps.length).toBeGreaterThan(1);
    const tiny = recommend({ goal: "both", minutes: 4 });
    expect(tiny.routine.goal).toBe("hair");
    expect(tiny.reason).toMatch(/too short for both/);
  });

  it("never asks for more minutes than are available", () => {
    for (const goal of ["hair", "relax", "both"] as const) {
      for (const minutes of [0.5, 1, 2.5, 4.9, 5, 6.5, 9, 30]) {
        const pick = recommend({ goal, minutes });
        expect(pick.minutes).toBe(minutes);
        expect(compileSession(pick.routine, { minutes: pick.minutes, intensity: 80 }).durationMs).toBe(
          Math.round(minutes * 60_000),
        );
      }
    }
  });

  it("refuses minutes outside 0.5..1440", () => {
    for (const minutes of [0, 0.2, -3, Number.NaN, 2000]) {
      expect(() => recommend({ goal: "hair", minutes })).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidOption }),
      );
    }
  });
});
