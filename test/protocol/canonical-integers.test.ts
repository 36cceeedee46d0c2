/** PROTOCOL.md, "Frames": integers have one spelling, so `-0` is malformed (103) in every integer field. */
import { describe, expect, it } from "vitest";
import {
  COMMANDS,
  type CommandName,
  checksumHex,
  decode,
  ErrorCode,
  encode,
  type Message,
} from "../../protocol/index.ts";

const frame = (body: string) => `${body}*${checksumHex(body)}`;

describe("-0 is not an integer on the wire", () => {
  it("is refused in every signed and unsigned field of every command, with the frame's seq", () => {
    const samples: Record<string, Message> = {
      SET: { type: "SET", seq: 4, vib: 0, rot: 0 },
      TELEM: { type: "TELEM", seq: 4, periodMs: 0 },
      TM: { type: "TM", tMs: 0, vib: 0, rot: 0, step: 0, posMs: 0 },
      ST: { type: "ST", state: "IDLE", reason: "HOST", step: 0, posMs: 0 },
    };
    let checked = 0;
    for (const [name, message] of Object.entries(samples)) {
      const line = encode(message);
      const tokens = line.slice(0, line.indexOf("*")).split(" ");
      const fields = COMMANDS[name as CommandName].fields;
      const first = COMMANDS[name as CommandName].seq ? 2 : 1;
      fields.forEach((field, index) => {
        if (field.kind !== "int" && field.kind !== "uint") return;
        const damaged = [...tokens];
        damaged[first + index] = "-0";
        const result = decode(frame(damaged.join(" ")));
        expect(result, damaged.join(" ")).toMatchObject({ kind: "error", code: ErrorCode.BadArguments });
        if (result.kind === "error") expect(result.seq).toBe(first === 2 ? 4 : undefined);
        checked++;
      });
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it("is refused inside a keyframe, and plain 0 is still accepted there", () => {
    expect(decode(frame("KEY 3 R 100,-0,1"))).toMatchObject({ kind: "error", code: ErrorCode.BadArguments, seq: 3 });
    expect(decode(frame("KEY 3 R 100,0,1"))).toMatchObject({ kind: "message" });
  });

  it("is never written: the encoder spells a negative zero as 0", () => {
    expect(encode({ type: "SET", seq: 1, vib: 0, rot: -0 })).toBe(frame("SET 1 0 0"));
  });
});
