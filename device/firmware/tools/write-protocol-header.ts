/**
 * `npm run firmware:header`: writes the firmware's generated protocol header
 * (device/firmware/massager/src/core/protocol_table.h) from protocol/*.ts. See protocol-header.ts.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PROTOCOL_HEADER_PATH, protocolHeaderText } from "./protocol-header.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
writeFileSync(`${root}${PROTOCOL_HEADER_PATH}`, protocolHeaderText());
process.stdout.write(`wrote ${PROTOCOL_HEADER_PATH}\n`);
