/**
 * A bounded libFuzzer run over the firmware's parser and state machine (device/firmware/native/fuzz.cpp),
 * built with Debian's clang and AddressSanitizer + UndefinedBehaviorSanitizer. The target itself
 * asserts the safety rules (no output without a valid frame, caps, slew, watchdog); any breach,
 * crash or sanitizer report fails this test with the reproducer's path.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildNative, FUZZ_TARGET } from "../../device/firmware/tools/native-build.ts";
import { NATIVE_BUILD_DIR, NATIVE_DIR } from "../../device/firmware/tools/paths.ts";
import { encode, type WireProgram } from "../../protocol/index.ts";
import { uploadFrames, withSeq } from "../../protocol/upload.ts";
import { spawnManaged } from "../support/managed-process.ts";
import { gate } from "../support/tools.ts";

const FUZZ_SECONDS = 12;
const workDir = join(NATIVE_BUILD_DIR, `fuzz-${process.pid}`);
const fuzzer = await gate("libFuzzer (clang)", () => buildNative(FUZZ_TARGET));

const PROGRAM: WireProgram = {
  blocks: [
    {
      durationMs: 3000,
      step: 0,
      vib: [
        { dtMs: 500, value: 900, ease: "easeIn" },
        { dtMs: 500, value: 100, ease: "sine" },
      ],
      rot: [{ dtMs: 1000, value: -700, ease: "easeInOut" }],
    },
  ],
};

/** Seeds: a whole upload and session, and a stream, both raw (mode 0) and checksum-repaired (mode 1). */
function seeds(): Record<string, Buffer> {
  let seq = 1;
  const upload = uploadFrames(PROGRAM).map((frame) => encode(withSeq(frame, seq++)));
  const session = [
    ...upload,
    encode({ type: "START", seq: seq++, vibCap: 1000, rotCap: 800, limitS: 2 }),
    encode({ type: "PING", seq: seq++ }),
    encode({ type: "PAUSE", seq: seq++ }),
    encode({ type: "RESUME", seq: seq++ }),
    encode({ type: "STOP", seq: seq++ }),
  ];
  const stream = [
    encode({ type: "STREAM", seq: 1, vibCap: 1000, rotCap: 1000, limitS: 1 }),
    encode({ type: "SET", seq: 2, vib: 1000, rot: -1000 }),
    encode({ type: "SET", seq: 3, vib: 0, rot: 1000 }),
    encode({ type: "ESTOP", seq: 4 }),
  ];
  // Raw mode: a newline is followed by a byte whose low bits advance the clock.
  const raw = (lines: string[]) => Buffer.from(`\x00${lines.join("\n\x0f")}\n\x0f`, "latin1");
  const repaired = (lines: string[]) =>
    Buffer.from(`\x01${lines.map((line) => `${line.slice(0, line.lastIndexOf("*"))}\n@300`).join("\n")}\n`, "latin1");
  return {
    "session-raw": raw(session),
    "stream-raw": raw(stream),
    "session-repaired": repaired(session),
    "stream-repaired": repaired(stream),
  };
}

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!fuzzer.ok)("fuzzing the firmware's parser and state machine", () => {
  it(`survives ${FUZZ_SECONDS} s of libFuzzer with every safety assertion holding`, { timeout: 120_000 }, async () => {
    if (!fuzzer.ok) return;
    const corpus = join(workDir, "corpus");
    const artifacts = join(workDir, "artifacts");
    await mkdir(corpus, { recursive: true });
    await mkdir(artifacts, { recursive: true });
    for (const [name, bytes] of Object.entries(seeds())) await writeFile(join(corpus, name), bytes);

    const run = spawnManaged(
      "libFuzzer",
      fuzzer.value,
      [
        `-max_total_time=${FUZZ_SECONDS}`,
        "-seed=1",
        "-timeout=10",
        "-rss_limit_mb=1024",
        "-max_len=2048",
        `-dict=${join(NATIVE_DIR, "fuzz.dict")}`,
        `-artifact_prefix=${artifacts}/`,
        corpus,
      ],
      { timeoutMs: (FUZZ_SECONDS + 60) * 1000 },
    );
    const code = await run.exited;
    const log = run.output();

    const crashes = await readdir(artifacts);
    const tail = log.split("\n").slice(-25).join("\n");
    expect(crashes, `libFuzzer found a failing input:\n${tail}`).toEqual([]);
    expect(code, tail).toBe(0);
    const runs = Number(/Done (\d+) runs/.exec(log)?.[1] ?? 0);
    // Thousands of inputs a second on a slow machine; far fewer means the target barely ran.
    expect(runs).toBeGreaterThan(10_000);
    const coverage = Number(/cov: (\d+)/.exec(log.slice(log.lastIndexOf("cov:") - 1))?.[1] ?? 0);
    expect(coverage).toBeGreaterThan(300);
  });
});
