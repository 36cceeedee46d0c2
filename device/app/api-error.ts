/** Any error as the API sends it: a MassagerError's code, message and hint; anything else as code 0. */
import { MassagerError } from "../../protocol/errors.ts";
import type { ApiError } from "./contract.ts";

export function toApiError(error: unknown): ApiError {
  if (error instanceof MassagerError) return { code: error.code, message: error.message, ...hintOf(error) };
  return { code: 0, message: error instanceof Error ? error.message : String(error) };
}

function hintOf(error: MassagerError): { hint?: string } {
  return error.hint === undefined ? {} : { hint: error.hint };
}
