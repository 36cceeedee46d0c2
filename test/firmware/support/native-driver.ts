/**
 * Runs scripts through the native build of the firmware's portable core (device/firmware/native/driver.cpp):
 * frames in at chosen virtual times, every frame out and every output change back, with times.
 */
import { buildNative, DRIVER_TARGET } from "../../../device/firmware/tools/native-build.ts";
import { spawnManaged } from "../../support/managed-process.ts";

/** What the device did over a script: frames written, output changes, and the answers to queries. */
export interface DeviceRun {
  frames: Array<{ tMs: number; line: string }>;
  outputs: Array<{ tMs: number; vib: number; rot: number }>;
  /** Answers to decode/sample/format/query commands, in order, without their leading word. */
  results: string[];
}

/** A script of driver commands (see native/driver.cpp), built step by step. */
export class DeviceScript {
  readonly commands: string[] = [];

  /** Sends a frame (or any text) followed by "\n". */
  send(line: string): this {
    return this.bytes(`${line}\n`);
  }

  /** Sends a byte string (one char per byte, latin1: PROTOCOL.md, "Frames") as those bytes. */
  bytes(text: string): this {
    return this.raw(byteStringBytes(text));
  }

  /** Sends bytes as they are. */
  raw(bytes: Uint8Array): this {
    if (bytes.length > 0) this.commands.push(`F ${Buffer.from(bytes).toString("hex")}`);
    return this;
  }

  advance(ms: number): this {
    if (ms > 0) this.commands.push(`A ${ms}`);
    return this;
  }

  decode(line: string): this {
    this.commands.push(`D ${byteStringBytes(line).toString("hex")}`);
    return this;
  }

  sample(positionMs: number): this {
    this.commands.push(`S ${positionMs}`);
    return this;
  }

  format(kind: string, ...values: Array<number | string>): this {
    this.commands.push(`E ${kind} ${values.join(" ")}`);
    return this;
  }

  /** The PWM steps `level` keeps its pin high out of `steps` (core::pwmSteps). */
  pwm(level: number, steps: number): this {
    this.commands.push(`P ${level} ${steps}`);
    return this;
  }

  query(): this {
    this.commands.push("Q");
    return this;
  }
}

/**
 * The bytes a byte string stands for: each char is one byte, as the vectors and the codec read
 * lines. A char above 0xFF is no byte (Buffer's latin1 would silently keep its low byte), so it is
 * a mistake in the test, not something to send.
 */
export function byteStringBytes(text: string): Buffer {
  const wide = [...text].find((char) => (char.codePointAt(0) ?? 0) > 0xff);
  if (wide !== undefined) {
    throw new Error(`${JSON.stringify(text.slice(0, 40))}: U+${wide.codePointAt(0)?.toString(16)} is not a byte`);
  }
  return Buffer.from(text, "latin1");
}

let binary: Promise<string> | undefined;

/** Builds the native driver once per test process (cached on disk by source hash). */
export function nativeDriver(): Promise<string> {
  binary ??= buildNative(DRIVER_TARGET);
  return binary;
}

/** Runs `script` in a fresh native device booted at time 0. */
export async function runNative(script: DeviceScript, timeoutMs = 30_000): Promise<DeviceRun> {
  const path = await nativeDriver();
  const driver = spawnManaged("native driver", path, [], {
    timeoutMs,
    input: `${script.commands.join("\n")}\n`,
    stdoutEncoding: "latin1",
  });
  const code = await driver.exited;
  const stdout = driver.stdout();
  const stderr = driver.stderr();
  if (code !== 0) throw new Error(`native driver exited with ${code}: ${stderr.slice(0, 2000)}`);
  return parseRun(stdout);
}

function parseRun(text: string): DeviceRun {
  const run: DeviceRun = { frames: [], outputs: [], results: [] };
  for (const line of text.split("\n")) {
    if (line.startsWith("< ")) {
      const space = line.indexOf(" ", 2);
      run.frames.push({ tMs: Number(line.slice(2, space)), line: line.slice(space + 1) });
    } else if (line.startsWith("O ")) {
      const [, t, vib, rot] = line.split(" ");
      run.outputs.push({ tMs: Number(t), vib: Number(vib), rot: Number(rot) });
    } else if (line !== "") {
      run.results.push(line.slice(line.indexOf(" ") + 1));
    }
  }
  return run;
}
