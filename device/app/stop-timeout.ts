/**
 * The app's bound on stopping: a soft stop that the device does not finish in time becomes an
 * emergency stop, and closing waits no longer than that for the orderly close.
 */
import type { Clock, TimerHandle } from "../clock.ts";
import type { Controller } from "../controller/controller.ts";

/** How long a soft stop may take before the app cuts the outputs at once. */
const STOP_TIMEOUT_MS = 2000;

/** A soft stop (a ramp to zero); an emergency stop when it fails or takes longer than STOP_TIMEOUT_MS. */
export async function stopOrCut(controller: Controller, clock: Clock): Promise<void> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = clock.setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([controller.stop().then(() => "stopped" as const), timeout]);
    if (result === "timeout") await controller.emergencyStop();
  } catch {
    await controller.emergencyStop();
  } finally {
    clock.clearTimer(timer);
  }
}

/** Resolves when `work` settles or STOP_TIMEOUT_MS have passed, whichever is first; never rejects. */
export async function waitAtMostStopTimeout(work: Promise<unknown>, clock: Clock): Promise<void> {
  let timer: TimerHandle | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = clock.setTimeout(resolve, STOP_TIMEOUT_MS);
  });
  await Promise.race([work.catch(() => undefined), waited]);
  clock.clearTimer(timer);
}
