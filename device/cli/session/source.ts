/** What `massager play <what>` names: a built-in routine, a built-in pattern, or a pattern/routine file. */
import { existsSync } from "node:fs";
import { getPattern, getRoutine } from "../../../patterns/library/index.ts";
import { ErrorCode, MassagerError } from "../../../protocol/errors.ts";
import type { Pattern, Routine } from "../../../protocol/pattern.ts";
import { loadPatternFile } from "../../patterns/pattern-files.ts";

export async function resolveSource(what: string): Promise<Pattern | Routine> {
  const builtIn = getRoutine(what) ?? getPattern(what);
  if (builtIn) return builtIn;
  if (what.includes("/") || what.endsWith(".json") || existsSync(what)) return loadPatternFile(what);
  throw new MassagerError(ErrorCode.PatternNotFound, `no pattern or routine is called "${what}"`, {
    hint: "run `massager routines` or `massager patterns` for the ids, or give the path of a pattern file",
  });
}
