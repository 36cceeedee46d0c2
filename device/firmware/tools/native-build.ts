/**
 * Builds the portable core natively for the tests: the scripted test driver (g++, with the
 * address and undefined-behaviour sanitizers) and the libFuzzer target (clang++). Cached by a
 * hash of the sources; parallel callers each build in their own file and rename it into place.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NATIVE_BUILD_DIR, NATIVE_DIR, SKETCH_DIR } from "./paths.ts";
import { runTool } from "./run-tool.ts";
import { compilableFiles, sourceHash } from "./source-hash.ts";

interface NativeTarget {
  name: string;
  compiler: string;
  main: string;
  flags: readonly string[];
}

const STRICT = ["-std=c++11", "-Wall", "-Wextra", "-Wshadow", "-Wconversion", "-Werror"];

/** The scripted driver: the whole device with a virtual clock (native/driver.cpp). */
export const DRIVER_TARGET: NativeTarget = {
  name: "massager-native",
  compiler: "g++",
  main: join(NATIVE_DIR, "driver.cpp"),
  flags: [...STRICT, "-Wno-conversion", "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"],
};

/** The libFuzzer target (native/fuzz.cpp): the parser and the state machine under any byte stream. */
export const FUZZ_TARGET: NativeTarget = {
  name: "massager-fuzz",
  compiler: "clang++",
  main: join(NATIVE_DIR, "fuzz.cpp"),
  flags: [
    "-std=c++11",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-O1",
    "-g",
    "-fsanitize=fuzzer,address,undefined",
    "-fno-sanitize-recover=all",
  ],
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Compiles `target` unless the cached binary matches the sources; returns its path. */
export async function buildNative(target: NativeTarget): Promise<string> {
  const binary = join(NATIVE_BUILD_DIR, target.name);
  const stampPath = `${binary}.hash`;
  const hash = await sourceHash([SKETCH_DIR, NATIVE_DIR], [target.compiler, target.main, ...target.flags]);
  const stamp = await readFile(stampPath, "utf8").catch(() => "");
  if (stamp === hash && (await exists(binary))) return binary;

  await mkdir(NATIVE_BUILD_DIR, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temporary = `${binary}.${suffix}.tmp`;
  const sources = await compilableFiles(join(SKETCH_DIR, "src", "core"));
  try {
    // The core is written for the AVR's 16-bit int; the strict flags hold it to that on the host too.
    for (const source of sources) {
      await runTool(target.compiler, [...STRICT, "-fsyntax-only", source]);
    }
    await runTool(target.compiler, [...target.flags, "-o", temporary, target.main, ...sources], 180_000);
    await rename(temporary, binary);
    const stampTemporary = `${stampPath}.${suffix}.tmp`;
    await writeFile(stampTemporary, hash);
    await rename(stampTemporary, stampPath);
  } finally {
    await rm(temporary, { force: true });
  }
  return binary;
}
