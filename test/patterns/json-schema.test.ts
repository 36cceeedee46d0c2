import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonSchemaText, SCHEMA_FILES } from "../../patterns/schema/json-schema.ts";

describe("the JSON Schemas of user files", () => {
  for (const kind of ["pattern", "routine"] as const) {
    it(`${SCHEMA_FILES[kind]} matches the zod schema (run \`npm run schema\` after changing it)`, () => {
      // Compared as JSON: the committed file is formatted by Biome, the generated text is not.
      const committed = readFileSync(new URL(`../../${SCHEMA_FILES[kind]}`, import.meta.url), "utf8");
      expect(JSON.parse(committed)).toStrictEqual(JSON.parse(jsonSchemaText(kind)));
    });
  }

  it("leaves a keyframe's ease optional, since it defaults to linear", () => {
    const schema = JSON.parse(jsonSchemaText("pattern"));
    expect(schema.properties.vibration.items.required).toEqual(["ms", "to"]);
    expect(schema.required).toContain("recommendedMinutes");
    expect(schema.properties.goal.description).toBeTypeOf("string");
  });
});
