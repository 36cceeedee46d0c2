/**
 * Child process for the crash test: rewrites one file atomically, forever, alternating two
 * large versions, until it is killed. Prints "ready" after the first write.
 */
import { writeFileAtomic } from "../../device/app/store/atomic-file.ts";

const [path] = process.argv.slice(2);
if (!path) throw new Error("usage: atomic-writer-child.ts FILE");
const versions = ["a", "b"].map((letter) => JSON.stringify({ version: letter, filler: letter.repeat(2_000_000) }));
let round = 0;
for (;;) {
  await writeFileAtomic(path, versions[round % 2] ?? "");
  if (round === 0) process.stdout.write("ready\n");
  round++;
}
