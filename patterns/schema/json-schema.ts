/**
 * JSON Schemas for user pattern and routine files, generated from the zod schemas so the
 * two never disagree. `npm run schema` writes them to patterns/schema/*.schema.json; a test
 * fails when the committed files are out of date.
 */
import { z } from "zod";
import { PatternSchema, RoutineSchema } from "../../protocol/pattern.ts";

/** Where the published schemas live, relative to the repository root, and their `$id`s. */
export const SCHEMA_FILES = {
  pattern: "patterns/schema/pattern.schema.json",
  routine: "patterns/schema/routine.schema.json",
} as const;

const TITLES = {
  pattern: "Scalp massager pattern",
  routine: "Scalp massager routine",
} as const;

/** Descriptions editors show on hover, for the fields the zod schemas leave undescribed. */
const FIELD_HELP: Record<string, string> = {
  $schema: "Path or URL of this schema, for editor autocompletion",
  id: "Unique id: lower-case words joined by hyphens, like my-scalp-circles",
  name: "Short name shown in lists",
  description: "What it does and how it feels, in a sentence or two",
  goal: "hair: hair and scalp health; relax: relaxation; both",
  technique: "The massage technique it imitates",
  zones: "Where on the head, neck or shoulders it is meant for",
  pressure: "light, medium or firm; caps the level: light 0.6, medium 0.8, firm 1",
  recommendedMinutes: "How long it plays when no length is asked for",
  steps: "The steps in order; their minutes are scaled to the session's length",
};

/** The JSON Schema (draft 2020-12) of a user file, as formatted text ending with a newline. */
export function jsonSchemaText(kind: keyof typeof SCHEMA_FILES): string {
  const schema = kind === "pattern" ? PatternSchema : RoutineSchema;
  // "input": what a person writes, so fields with defaults (a keyframe's ease) are optional.
  const generated = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" });
  const { $schema, ...rest } = generated;
  const properties = (rest.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, property] of Object.entries(properties)) {
    const help = FIELD_HELP[name];
    if (help !== undefined && property.description === undefined) properties[name] = { description: help, ...property };
  }
  return `${JSON.stringify({ $schema, title: TITLES[kind], ...rest }, null, 2)}\n`;
}
