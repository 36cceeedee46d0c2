/**
 * One emulator suite at a time: the setup file of vitest's "emulators" project (vitest.config.ts).
 * Each test file runs in its own worker process, which takes this run's lock before the file's
 * tests start and gives it back after them (or by exiting: a lock whose owner is dead is taken
 * over). A unit suite runs beside it on the other core meanwhile.
 */
import { closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { isAlive, lockOwner } from "./pid-lock.ts";

/** Per vitest run (the config sets the run's id), so two runs on one machine do not wait for each other. */
const LOCK_PATH = join(tmpdir(), `massager-emulators-${process.env.MASSAGER_TEST_RUN ?? process.ppid}.lock`);
/** A wait for the suites before this one: long, as every emulator suite of a loaded run may come first. */
const WAIT_MS = 20 * 60_000;

async function acquire(): Promise<() => void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(LOCK_PATH, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (lockOwner(LOCK_PATH) === process.pid) rmSync(LOCK_PATH, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = lockOwner(LOCK_PATH);
      // No owner yet (it is writing its pid) is not stale: only a dead owner is.
      if (pid !== undefined && !isAlive(pid)) {
        rmSync(LOCK_PATH, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the emulator lock ${LOCK_PATH} is held by ${pid} for too long`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const release = await acquire();
afterAll(release);
