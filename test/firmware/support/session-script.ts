/**
 * Turns a session vector's script (test/vectors/sessions.json, see its README) into a DeviceScript
 * that the native firmware and the simulator twin both run, and reads a run back in the vector's form.
 */
import { checksumHex } from "../../../protocol/index.ts";
import type { SessionVector } from "../../support/vectors.ts";
import { type DeviceRun, DeviceScript } from "./native-driver.ts";

/** `{BODY}` in a raw item becomes the frame `BODY*CC`. */
function withChecksums(text: string): string {
  return text.replace(/\{([^}]*)\}/g, (_, body: string) => `${body}*${checksumHex(body)}`);
}

export function sessionScript(vector: SessionVector): DeviceScript {
  const script = new DeviceScript();
  for (const item of vector.script) {
    const kind = item.slice(0, 2);
    const argument = item.slice(2);
    if (kind === "> ") script.send(`${argument}*${checksumHex(argument)}`);
    else if (kind === "= ") script.bytes(withChecksums(argument));
    else if (kind === "+ ") script.advance(Number(argument));
    else throw new Error(`session vector "${vector.name}": "${item}" is not "> frame", "= bytes" or "+ ms"`);
  }
  return script;
}

/** Every frame the device wrote after its boot frame, as `tMs body` (the checksum checked, then left off). */
export function sessionFrames(run: DeviceRun): string[] {
  return run.frames.slice(1).map(({ tMs, line }) => {
    const star = line.lastIndexOf("*");
    const body = line.slice(0, star);
    if (line.slice(star + 1) !== checksumHex(body)) throw new Error(`bad checksum in the device's frame ${line}`);
    return `${tMs} ${body}`;
  });
}

/** `got` with each line that an expectation ending in `…` matches (it starts with what precedes the `…`) replaced by that expectation. */
export function matchFrames(got: readonly string[], expected: readonly string[]): string[] {
  return got.map((line, i) => {
    const want = expected[i];
    return want?.endsWith("…") && line.startsWith(want.slice(0, -1)) ? want : line;
  });
}
