/**
 * What the person may do with their own patterns. A built-in's id is never saved over (it would
 * hide the built-in and change what its routines play): the refusal offers a free copy's id.
 * Only the person's own files can be deleted, including one that takes a built-in's id.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { Library } from "./library.ts";

/** Throws InvalidPattern, naming a free copy id, when `id` is a built-in pattern's or routine's. */
export function checkSavable(library: Library, id: string): void {
  if (!library.isBuiltIn(id)) return;
  throw new MassagerError(ErrorCode.InvalidPattern, `"${id}" is the id of a built-in pattern or routine`, {
    hint: `save it as a copy with its own id, such as "${freeCopyId(library, id)}"`,
  });
}

/** Throws InvalidPattern for a built-in, PatternNotFound for an id that is none of the person's files. */
export function checkDeletable(library: Library, id: string): void {
  const shadowing = library.shadowing().includes(id);
  if (library.isBuiltIn(id) && !shadowing) {
    throw new MassagerError(ErrorCode.InvalidPattern, `"${id}" is built in and cannot be deleted`, {
      hint: "only your own patterns can be deleted",
    });
  }
  if (!library.isCustom(id) && !shadowing) {
    throw new MassagerError(ErrorCode.PatternNotFound, `no pattern of yours has the id "${id}"`, {
      hint: "pick one from the library",
    });
  }
}

/** `<id>-copy`, or `<id>-copy-2`, ... : the first id neither built in nor one of the person's. */
function freeCopyId(library: Library, id: string): string {
  const base = `${id.slice(0, 70)}-copy`;
  let candidate = base;
  for (let n = 2; library.isBuiltIn(candidate) || library.isCustom(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}
