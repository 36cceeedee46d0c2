/**
 * `npm run schema`: writes the JSON Schemas of user pattern and routine files from the zod
 * schemas, then formats them with Biome so `biome check` stays clean. The generation itself is
 * renderer-safe (patterns/schema); only the writing is here.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jsonSchemaText, SCHEMA_FILES } from "../../patterns/schema/json-schema.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const files = [SCHEMA_FILES.pattern, SCHEMA_FILES.routine];
writeFileSync(`${root}${SCHEMA_FILES.pattern}`, jsonSchemaText("pattern"));
writeFileSync(`${root}${SCHEMA_FILES.routine}`, jsonSchemaText("routine"));
execFileSync(`${root}node_modules/.bin/biome`, ["format", "--write", ...files], {
  cwd: root,
  stdio: "ignore",
  timeout: 30_000,
});
process.stdout.write(`wrote ${files.join(" and ")}\n`);
