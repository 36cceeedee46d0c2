/**
 * Keys while `massager play` runs on a terminal (device/cli/session/keys.ts): ↑/↓ reach the
 * simulated device as its gain, never above the person's maximum; Space pauses and resumes it;
 * q stops it; raw mode is given back. In process, with keys typed at chosen moments of a session
 * in virtual time; and once through a real pseudo-terminal (`script`), as a person would.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { listenToKeys, parseKeys } from "../../device/cli/session/keys.ts";
import { VirtualClock } from "../../device/clock.ts";
import { Controller } from "../../device/controller/controller.ts";
import { createInProcessSimulator } from "../../device/simulator/in-process.ts";
import { compileSession } from "../../patterns/compiler.ts";
import { getPattern } from "../../patterns/library/index.ts";
import { MASSAGER_BIN, REPO_ROOT } from "../support/paths.ts";

/** A terminal's input as listenToKeys sees it: raw mode and typed bytes. */
class FakeTerminal extends EventEmitter {
  isRaw = false;
  setRawMode(raw: boolean): void {
    this.isRaw = raw;
  }
  resume(): void {}
  pause(): void {}
  type(text: string): void {
    this.emit("data", Buffer.from(text, "latin1"));
  }
}

const UP = "\u001b[A";
const DOWN = "\u001b[B";

describe("parseKeys", () => {
  it("reads arrows (CSI and SS3), Space, q, Esc, and Ctrl-C/Ctrl-\\ as signals; ignores the rest", () => {
    expect(parseKeys(`${UP}${DOWN}\u001bOA\u001bOB`)).toEqual(["up", "down", "up", "down"]);
    expect(parseKeys(" qQ")).toEqual(["pause", "stop", "stop"]);
    expect(parseKeys("\u001b")).toEqual(["stop"]);
    expect(parseKeys("\u0003\u001c")).toEqual(["interrupt", "quit"]);
    expect(parseKeys("x\r\u001b[C\u001b[1;5D\u001bx")).toEqual([]); // letters, Enter, ←/→, Alt+x
  });

  it("sends Ctrl-C and Ctrl-\\ on as the signals raw mode kept from the terminal", () => {
    const terminal = new FakeTerminal();
    const signals: string[] = [];
    const untouched = () => Promise.reject(new Error("no request expected"));
    const keys = listenToKeys(
      terminal,
      { setIntensity: untouched, pause: untouched, resume: untouched, stop: untouched },
      { intensity: 50, maxIntensity: 100, onSignal: (signal) => signals.push(signal) },
    );
    terminal.type("\u0003\u001c");
    keys.close();
    expect(signals).toEqual(["SIGINT", "SIGQUIT"]);
    expect(terminal.isRaw).toBe(false);
  });
});

describe("keys during a session on the simulator", () => {
  it("↑/↓ set the device's gain (never above the maximum), Space pauses and resumes, q stops", async () => {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock, keepRecord: true });
    const controller = new Controller({ clock, transport: sim.connect, telemetryMs: 1000 });
    const info = await clock.runUntil(controller.connect());
    expect(info.gain).toBe(true);
    const pattern = getPattern("scalp-circles");
    if (!pattern) throw new Error("no scalp-circles");
    const session = compileSession(pattern, {
      minutes: 3,
      intensity: 60,
      personalMax: 0.7,
      stepCue: false,
      device: { ...info, gain: true },
    });
    await clock.runUntil(controller.play(session));

    const terminal = new FakeTerminal();
    const asked: number[] = [];
    const problems: string[] = [];
    const keys = listenToKeys(terminal, controller, {
      intensity: 60,
      maxIntensity: 70,
      onIntensity: (percent) => asked.push(percent),
      onProblem: (message) => problems.push(message),
    });
    expect(terminal.isRaw).toBe(true);

    const states: string[] = [];
    controller.on("deviceState", (state) => states.push(state));
    const gains: Record<string, { vib: number; rot: number }> = {};
    const script: [atS: number, what: string, typed: string][] = [
      [20, "three ups", UP + UP + UP],
      [40, "four downs", DOWN.repeat(4)],
      [60, "pause", " "],
      [75, "quit", "q"],
    ];
    controller.on("progress", (positionMs) => {
      const next = script[0];
      if (next === undefined || positionMs < next[0] * 1000) return;
      script.shift();
      // What the device applies just before this key: the previous key's effect.
      gains[next[1]] = { ...sim.device.core.state.gain };
      terminal.type(next[2]);
      // Paused, the position stands still: Space again 10 s later on the clock.
      if (next[1] === "pause") clock.setTimeout(() => terminal.type(" "), 10_000);
    });
    const end = await clock.runUntil(controller.waitForEnd());
    await clock.runUntil(keys.idle());
    keys.close();

    expect(problems).toEqual([]);
    expect(asked).toEqual([65, 70, 65, 60, 55, 50]); // the third ↑ stops at the maximum, 70
    expect(gains["four downs"]).toEqual({ vib: 700, rot: 700 });
    expect(gains.pause).toEqual({ vib: 500, rot: 500 });
    expect(states).toContain("PAUSED");
    expect(states.indexOf("PLAYING", states.indexOf("PAUSED"))).toBeGreaterThan(-1); // resumed
    expect(end).toMatchObject({ completed: false, reason: "HOST" });
    expect(keys.stopped).toBe(true);
    expect(terminal.isRaw).toBe(false);
    // The person's maximum holds on the motor too: 70 % of a level capped at 70 % (permille).
    const peak = Math.max(...sim.device.recorder.changes.map((change) => change.vib));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(490);
    await clock.runUntil(controller.close());
    sim.device.stop();
  });

  it("on a 1.0 device ↑ says in one line that the firmware has no live intensity, and nothing changes", async () => {
    const clock = new VirtualClock();
    const sim = createInProcessSimulator({ clock, keepRecord: false, protocol: "1.0" });
    const controller = new Controller({ clock, transport: sim.connect, telemetryMs: 1000 });
    const info = await clock.runUntil(controller.connect());
    const pattern = getPattern("scalp-circles");
    if (!pattern) throw new Error("no scalp-circles");
    const session = compileSession(pattern, { minutes: 1, intensity: 60, device: { ...info, gain: info.gain } });
    await clock.runUntil(controller.play(session));
    const terminal = new FakeTerminal();
    const problems: string[] = [];
    const keys = listenToKeys(terminal, controller, {
      intensity: 60,
      maxIntensity: 100,
      onProblem: (message) => problems.push(message),
    });
    terminal.type(UP);
    await clock.runUntil(keys.idle());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/firmware/);
    expect(problems[0]).not.toContain("\n");
    expect(sim.device.core.state.gain).toEqual({ vib: 1000, rot: 1000 });
    keys.close();
    await clock.runUntil(controller.close());
    sim.device.stop();
  });
});

describe("massager play on a terminal", () => {
  it("shows the intensity, takes ↓ and q, ends with exit 0 and gives the terminal back", async () => {
    // script(1) runs the command on a new pseudo-terminal and copies our pipe to it as typed keys;
    // `stty -a` afterwards shows whether the terminal was left in raw mode.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(MASSAGER_BIN)} play scalp-circles --minutes 1 --intensity 60; echo "exit=$?"; stty -a`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] });
    const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      out += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      out += text;
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await until(
        () => /intensity 60%/.test(out),
        60_000,
        () => out,
      );
      await until(
        () => /vib +[1-9]/.test(out),
        30_000,
        () => out,
      ); // playing: the motor runs
      child.stdin.write(DOWN + DOWN);
      await until(
        () => /intensity 50%/.test(out),
        20_000,
        () => out,
      );
      child.stdin.write("q");
      await until(
        () => /exit=\d+/.test(out) && /speed|icanon/.test(out.slice(out.indexOf("exit="))),
        30_000,
        () => out,
      );
      child.stdin.end();
      await exited;
    } finally {
      clearTimeout(killer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    expect(out).toMatch(/↑\/↓ intensity · Space pause\/resume · q or Esc stop/);
    expect(out).toContain("massager: stopped; the motors are off");
    expect(out).toMatch(/exit=0/);
    const stty = out.slice(out.indexOf("exit="));
    expect(stty).toMatch(/(^|\s)icanon(\s|;|$)/);
    expect(stty).toMatch(/(^|\s)echo(\s|;|$)/);
  }, 150_000);
});

async function until(check: () => boolean, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; it said:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
