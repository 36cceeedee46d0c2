/**
 * One emulator suite at a time: the setup file of vitest's "emulators" project (vitest.config.ts).
 * Each test file runs in its own worker process, which takes this run's lock before the file's
 * tests start and gives it back after them (or by exiting: a lock whose owner is dead is taken
 * over). A unit suite runs beside it on the other core meanwhile.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { acquirePidLock } from "./pid-lock.ts";

/** Per vitest run (the config sets the run's id), so two runs on one machine do not wait for each other. */
const LOCK_PATH = join(tmpdir(), `massager-emulators-${process.env.MASSAGER_TEST_RUN ?? process.ppid}.lock`);
/** A wait for the suites before this one: long, as every emulator suite of a loaded run may come first. */
const WAIT_MS = 20 * 60_000;

const release = await acquirePidLock(LOCK_PATH, WAIT_MS, "the emulator lock");
afterAll(release);
