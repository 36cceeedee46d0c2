import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HM10_PROFILE,
  LineReassembler,
  lineBytes,
  MAX_PARTIAL_LINE,
  NUS_PROFILE,
  normalizeUuid,
  payloadSize,
  profileForService,
  splitForMtu,
} from "../../protocol/ble.ts";

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("BLE bridge profiles", () => {
  it("names the Nordic UART Service and the HM-10 service with the UUIDs noble reports", () => {
    expect(NUS_PROFILE.service).toBe("6e400001b5a3f393e0a9e50e24dcca9e");
    expect(NUS_PROFILE.rx).toBe("6e400002b5a3f393e0a9e50e24dcca9e");
    expect(NUS_PROFILE.tx).toBe("6e400003b5a3f393e0a9e50e24dcca9e");
    expect(HM10_PROFILE.rx).toBe("ffe1");
    expect(HM10_PROFILE.tx).toBe(HM10_PROFILE.rx);
  });

  it("recognises a service however its UUID is written", () => {
    expect(profileForService("6E400001-B5A3-F393-E0A9-E50E24DCCA9E")).toBe(NUS_PROFILE);
    expect(profileForService("FFE0")).toBe(HM10_PROFILE);
    expect(profileForService("0000ffe0-0000-1000-8000-00805f9b34fb")).toBe(HM10_PROFILE);
    expect(profileForService("180d")).toBeUndefined();
    expect(normalizeUuid("0000180D-0000-1000-8000-00805F9B34FB")).toBe("180d");
  });
});

describe("splitting a line into MTU-sized writes", () => {
  it("carries MTU − 3 bytes per write", () => {
    expect(payloadSize(23)).toBe(20);
    expect(payloadSize(256)).toBe(253);
    // Below the BLE minimum the minimum applies: every link supports 23.
    expect(payloadSize(5)).toBe(20);
  });

  it("splits a 95-byte frame into 20-byte writes at the default MTU", () => {
    const line = `KEY 12 V ${"65535,1000,5 ".repeat(4).trim()}`.padEnd(92, "X").slice(0, 92);
    const chunks = splitForMtu(lineBytes(`${line}*00`), 23);
    expect(chunks.map((chunk) => chunk.length)).toEqual([20, 20, 20, 20, 16]);
    expect(chunks.map(ascii).join("")).toBe(`${line}*00\n`);
  });

  it("sends a short line in one write", () => {
    expect(splitForMtu(lineBytes("PING 1*AD"), 23).map(ascii)).toEqual(["PING 1*AD\n"]);
  });
});

describe("LineReassembler", () => {
  it("joins notifications that split a line anywhere", () => {
    const reassembler = new LineReassembler();
    expect(reassembler.push(bytes("OK 1"))).toEqual([]);
    expect(reassembler.push(bytes("2*7B\nST IDLE HO"))).toEqual(["OK 12*7B"]);
    expect(reassembler.push(bytes("ST 0 0*5C\r\n"))).toEqual(["ST IDLE HOST 0 0*5C"]);
  });

  it("returns every line of a notification that holds several", () => {
    const reassembler = new LineReassembler();
    expect(reassembler.push(bytes("OK 1*AA\nOK 2*BB\n\nOK 3"))).toEqual(["OK 1*AA", "OK 2*BB", ""]);
    expect(reassembler.push(bytes("*CC\n"))).toEqual(["OK 3*CC"]);
  });

  it("drops an endless partial line and resyncs on the next line ending", () => {
    const reassembler = new LineReassembler();
    expect(reassembler.push(bytes("x".repeat(MAX_PARTIAL_LINE + 1)))).toEqual([]);
    expect(reassembler.push(bytes("yyy\nPING 1*AD\n"))).toEqual(["PING 1*AD"]);
  });

  it("forgets a half line on reset", () => {
    const reassembler = new LineReassembler();
    reassembler.push(bytes("OK 1"));
    reassembler.reset();
    expect(reassembler.push(bytes("PING 2*AB\n"))).toEqual(["PING 2*AB"]);
  });

  it("reassembles exactly the lines that were split, at any MTU", () => {
    const frame = fc.stringMatching(/^[A-Z0-9 ,*-]{1,95}$/);
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 8 }), fc.integer({ min: 23, max: 64 }), (lines, mtu) => {
        const reassembler = new LineReassembler();
        const received: string[] = [];
        for (const line of lines) {
          for (const chunk of splitForMtu(lineBytes(line), mtu)) {
            expect(chunk.length).toBeLessThanOrEqual(mtu - 3);
            received.push(...reassembler.push(chunk));
          }
        }
        expect(received).toEqual(lines);
      }),
    );
  });
});
