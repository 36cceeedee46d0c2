/** A failed API call as the renderer sees it: the server's code, message and fix. */
import type { ApiError, Envelope } from "../../../device/app/contract.ts";

/** A failed call, with the server's code and fix. */
export class ApiCallError extends Error {
  readonly code: number;
  readonly hint: string | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
    this.hint = error.hint;
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.result;
  throw new ApiCallError(envelope.error);
}
