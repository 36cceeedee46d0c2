/**
 * Keeps the screen on while a session plays (the Screen Wake Lock API), so the phone does not
 * lock in the middle of a step. The browser drops the lock when the page is hidden; it is taken
 * again when the page comes back. Electron does this in the main process (powerSaveBlocker).
 */
let wanted = false;
let sentinel: WakeLockSentinel | undefined;
let listening = false;

async function acquire(): Promise<void> {
  if (!wanted || sentinel || document.visibilityState !== "visible" || !("wakeLock" in navigator)) return;
  try {
    sentinel = await navigator.wakeLock.request("screen");
    sentinel.addEventListener("release", () => {
      sentinel = undefined;
    });
  } catch {
    // Not allowed here (no secure context, battery saver): the session plays on regardless.
  }
}

/** Holds the wake lock while `active`. */
export function keepAwake(active: boolean): void {
  if (!listening) {
    listening = true;
    document.addEventListener("visibilitychange", () => void acquire());
  }
  if (active === wanted) return;
  wanted = active;
  if (active) void acquire();
  else {
    void sentinel?.release().catch(() => undefined);
    sentinel = undefined;
  }
}

/** Whether the page holds the lock now (for the tests). */
export function awake(): boolean {
  return sentinel !== undefined && !sentinel.released;
}
