/** The pieces of a lock file that holds its owner's process id, shared by the test suites' locks. */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";

/** The process id written in the lock file, if there is a valid one. */
export function lockOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (EPERM: it does, owned by another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock file at `path` (created exclusively, holding this process's id), waiting while a
 * live process holds it and taking over one whose owner died. Resolves with its release.
 * `holder` names the lock in the error after `timeoutMs`.
 */
export async function acquirePidLock(path: string, timeoutMs: number, holder: string): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (lockOwner(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = lockOwner(path);
      // No owner yet (it is writing its pid) is not stale: only a dead owner is.
      if (pid !== undefined && !isAlive(pid)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${holder} (${path}) is held by process ${pid} for too long`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
