/** Polling for a condition that has no event to wait on (a file appearing, a level reached). */

/**
 * Resolves once `check` holds, polling every `intervalMs`; rejects after `timeoutMs` with
 * `what()` (evaluated then, so it can include the latest output of a process).
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what: () => string = () => "the condition",
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A pause of `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
