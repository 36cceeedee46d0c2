/**
 * The firmware's command table, error codes and limits are generated from protocol/*.ts
 * (device/firmware/tools/protocol-header.ts): the header on disk must be what the generator
 * writes now, so a change to the TypeScript protocol cannot leave the firmware behind.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROTOCOL_HEADER_PATH, protocolHeaderText } from "../../device/firmware/tools/protocol-header.ts";
import { COMMANDS, ErrorCode, STOP_BYTE } from "../../protocol/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("the firmware's generated protocol header", () => {
  it("is up to date with protocol/*.ts (else run: npm run firmware:header)", () => {
    const onDisk = readFileSync(`${root}${PROTOCOL_HEADER_PATH}`, "utf8");
    expect(onDisk, "device/firmware/massager/src/core/protocol_table.h is stale: run npm run firmware:header").toBe(
      protocolHeaderText(),
    );
  });

  it("holds every command, every wire error code and the stop byte", () => {
    const text = protocolHeaderText();
    for (const name of Object.keys(COMMANDS)) expect(text).toContain(`{"${name}", `);
    for (const [name, code] of Object.entries(ErrorCode)) {
      if (code >= 100 && code < 300) expect(text).toContain(`const uint8_t k${name} = ${code};`);
    }
    expect(text).toContain(`const uint8_t kStopByte = 0x${STOP_BYTE.toString(16)};`);
  });
});
