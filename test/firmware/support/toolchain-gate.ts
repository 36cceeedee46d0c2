/**
 * Builds a tool a suite needs. Under CI=true a missing toolchain fails the suite loudly; on a
 * developer machine without it the suite is skipped, and says why.
 */
import { isMassagerError } from "../../../protocol/errors.ts";

export type Gate<T> = { ok: true; value: T } | { ok: false; reason: string };

export async function gate<T>(what: string, build: () => Promise<T>): Promise<Gate<T>> {
  try {
    return { ok: true, value: await build() };
  } catch (error) {
    const missing = isMassagerError(error) && /is not installed|is missing/.test(error.message);
    if (process.env.CI === "true" || !missing) throw error;
    const reason = `${what}: ${error.message}${error.hint ? ` (fix: ${error.hint})` : ""}`;
    console.warn(`skipping: ${reason}`);
    return { ok: false, reason };
  }
}
