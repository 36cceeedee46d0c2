/** Whether an external tool a suite needs is installed: under CI a missing tool fails the suite, elsewhere it skips with a reason. */
import { spawnSync } from "node:child_process";

export function hasTool(name: string, args: string[] = ["-V"]): boolean {
  const found = spawnSync(name, args, { timeout: 5000, stdio: "ignore" }).error === undefined;
  if (!found && process.env.CI) throw new Error(`${name} is not installed, and CI needs it (see .ci/run)`);
  if (!found) console.warn(`skipping: ${name} is not installed (sudo apt-get install ${name})`);
  return found;
}
