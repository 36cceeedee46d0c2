/**
 * The gate every UI call passes, whichever way it came (IPC or HTTP): the method must be one
 * of the contract's and its arguments must match the contract's schema, or the call is
 * refused with an InvalidOption error naming what was wrong.
 */
import { ErrorCode, MassagerError } from "../../protocol/errors.ts";
import type { AppApi } from "./app-api.ts";
import { API_ARGS, isApiMethod } from "./contract.ts";

/** Checks `method` and `args` against the contract, then calls the API. */
export async function dispatch(api: AppApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isApiMethod(method)) {
    throw new MassagerError(ErrorCode.InvalidOption, `unknown API method ${JSON.stringify(String(method))}`);
  }
  const parsed = API_ARGS[method].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `argument ${issue.path.join(".")}` : "arguments";
    throw new MassagerError(ErrorCode.InvalidOption, `${method}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const call = api[method] as (...values: unknown[]) => Promise<unknown>;
  return call(...(parsed.data as unknown[]));
}
