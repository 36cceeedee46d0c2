/**
 * Issue 14 item 7: `massager simulate --board uno [--bootloader]` is a board a hobbyist can try in
 * one command: it prints its port and the motor pins as power and direction; a routine played on
 * it moves them; an empty one (--bootloader) takes `massager flash`, and flashing it as the wrong
 * board (--board nano: the old bootloader's 57600 baud) fails as it fails on a real Uno.
 * (The board is device/avr-sim/emulated-board in the simulate process: this suite runs with the emulators.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { toolchainAvailable } from "../support/avr-toolchain.ts";
import { stopAll } from "../support/managed-process.ts";
import { runMassager, startMassager } from "../support/massager-cli.ts";

describe.runIf(toolchainAvailable())("massager simulate --board (the emulated Uno)", { timeout: 120_000 }, () => {
  afterEach(() => stopAll());

  it("runs the prebuilt firmware behind Optiboot, and shows a routine's motors as power and direction", async () => {
    const sim = startMassager(["simulate", "--board", "uno", "--firmware", "prebuilt"], 110_000);
    const pty = (await sim.line(/^pty: /, 60_000)).slice(5).trim();
    await sim.line(/^# motor pins/, 10_000);
    expect(sim.stdout()).toContain("# play on it: massager play <routine> --device serial:");
    expect(sim.stdout()).toMatch(/motor pins: vibration D10, rotation D9, direction D7\/D8, STBY D4/);
    await sim.line(/^vibration +0 % +rotation stopped +STBY off$/, 10_000);

    const play = await runMassager(
      ["play", "daily-hair-care", "--device", `serial:${pty}`, "--minutes", "0.2"],
      60_000,
    );
    expect(play.code, `${play.stdout}${play.stderr}`).toBe(0);
    const shown = sim.stdout().split("\n");
    expect(
      shown.some((line) => /^vibration +[1-9]\d* % .*STBY on$/.test(line)),
      sim.output(),
    ).toBe(true);
    expect(
      shown.some((line) => /rotation +[1-9]\d* % (counter-)?clockwise/.test(line)),
      sim.output(),
    ).toBe(true);
    expect(shown.some((line) => /both direction pins high/.test(line))).toBe(false);
    // Stopped at the end: the display settles on zero within a moment of the session's end.
    const deadline = Date.now() + 5_000;
    while (!/vibration +0 % +rotation stopped +STBY off\n$/.test(sim.stdout()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sim.stdout().split("\n").at(-2)).toMatch(/^vibration +0 % +rotation stopped +STBY off$/);

    const status = await sim.stop(5_000, "SIGINT");
    expect(status).toBe(130);
  });

  it("flashing it as a nano (57600 baud) fails as on a real Uno; with --bootloader it is an empty board to flash", async () => {
    const running = startMassager(["simulate", "--board", "uno", "--firmware", "prebuilt"], 110_000);
    const port = (await running.line(/^pty: /, 60_000)).slice(5).trim();
    const wrong = await runMassager(["flash", "--port", port, "--firmware", "prebuilt", "--board", "nano"], 60_000);
    expect(wrong.code, `${wrong.stdout}${wrong.stderr}`).toBe(6);
    expect(wrong.stderr).toMatch(/^massager: no bootloader answered on .* at 57600 baud/m);
    await running.stop(5_000, "SIGINT");

    const empty = startMassager(["simulate", "--board", "uno", "--bootloader"], 110_000);
    const pty = (await empty.line(/^pty: /, 60_000)).slice(5).trim();
    await empty.line(/^# motor pins/, 10_000);
    expect(empty.stdout()).toContain(`# flash it:   massager flash --port ${pty} --board uno`);
    const right = await runMassager(["flash", "--port", pty, "--firmware", "prebuilt", "--board", "uno"], 60_000);
    expect(right.code, `${right.stdout}${right.stderr}`).toBe(0);
    expect(right.stdout).toMatch(/The board answers: massager firmware \d+\.\d+\.\d+\./);
    await empty.stop(5_000, "SIGINT");
  });
});
