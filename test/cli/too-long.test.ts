/**
 * A session longer than the device allows at once (its maxSessionS) is refused before anything
 * moves: one line with the limit and the fix, exit 1 (invalid input), no session started.
 */
import { describe, expect, it } from "vitest";
import { runMassager } from "../support/massager-cli.ts";

describe("massager play --minutes past the device's session limit", () => {
  it("exits 1 with one line naming the limit, before any session starts", async () => {
    const result = await runMassager(["play", "scalp-circles", "--minutes", "90", "--fast", "--json"], 30_000);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^massager: .*90-minute session.*60 minutes.*\(E413 SessionTooLong\)$/);
    expect(lines[1]).toMatch(/^ {2}fix: /);
    expect(lines).toHaveLength(2);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).not.toContain("session");
    expect(events).not.toContain("step");
  });
});
