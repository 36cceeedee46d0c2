/**
 * Issue 14 item 9: while the controller reconnects after a pulled cable, the progress bar says
 * "reconnecting…" and shows the motors at rest (the device's watchdog stopped them), not the last
 * levels it had; once connected again the note goes.
 */
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { barReporter } from "../../device/cli/session/reporters.ts";
import type { Controller } from "../../device/controller/controller.ts";

describe("the progress bar while reconnecting", () => {
  it("says reconnecting and shows the motors stopped, then clears the note", async () => {
    const controller = new EventEmitter() as unknown as Controller & EventEmitter;
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    Object.assign(stream, {
      isTTY: true,
      columns: 200,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    let written = "";
    stream.on("data", (chunk: Buffer) => {
      written += chunk.toString();
    });
    const reporter = barReporter(controller, "daily-hair-care", stream, { intensity: 70, keys: false });
    controller.emit("progress", 5_000, 60_000);
    controller.emit("telemetry", { vibration: 0.62, rotation: -0.4, tMs: 1, step: 0, positionMs: 5_000 });
    controller.emit("progress", 6_000, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(written).toContain("vib  62%");
    written = "";
    controller.emit("connection", "reconnecting", { attempt: 1 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(written).toContain("reconnecting (attempt 1)… motors stopped by the device's watchdog");
    expect(written).toMatch(/vib +0% rot +0%/);
    expect(written).not.toContain("62%");
    written = "";
    controller.emit("connection", "connected", {});
    controller.emit("progress", 7_000, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(written).not.toContain("reconnecting");
    reporter.close();
  });
});
