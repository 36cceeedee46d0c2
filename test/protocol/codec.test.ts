import { describe, expect, it } from "vitest";
import { decode, ErrorCode, encode } from "../../protocol/index.ts";

describe("codec", () => {
  it("writes a setpoint with its checksum and reads it back", () => {
    const line = encode({ type: "SET", seq: 7, vib: 500, rot: -250 });
    expect(line).toMatch(/^SET 7 500 -250\*[0-9A-F]{2}$/);
    expect(decode(line)).toEqual({ kind: "message", message: { type: "SET", seq: 7, vib: 500, rot: -250 } });
  });

  it("refuses a frame whose checksum does not match", () => {
    const line = encode({ type: "PING", seq: 1 });
    const corrupted = line.replace("PING 1", "PING 2");
    const result = decode(corrupted);
    expect(result.kind).toBe("error");
    if (result.kind === "error") expect(result.code).toBe(ErrorCode.BadChecksum);
  });
});
