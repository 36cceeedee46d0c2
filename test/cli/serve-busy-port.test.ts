import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../device/cli/exit-codes.ts";
import { stopAll } from "../support/managed-process.ts";
import { runMassager } from "../support/massager-cli.ts";

let blocker: Server | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await stopAll();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("massager serve on a port in use", () => {
  it("closes the device it connected and exits with one line naming the port, instead of hanging", async () => {
    const server = createServer();
    blocker = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    dataDir = mkdtempSync(join(tmpdir(), "massager-serve-busy-"));
    // Before the fix the connected simulator's heartbeat kept the process alive: runMassager timed out.
    // The long limit leaves room for a first build of the app's UI on a fresh machine.
    const result = await runMassager(
      ["serve", "--device", "sim", "--port", String(port), "--data-dir", dataDir],
      60_000,
    );
    expect(result.code).toBe(ExitCode.Unreachable);
    expect(result.stderr).toContain(`127.0.0.1:${port}: the port is in use`);
    expect(result.stderr).toContain("fix: choose another --port");
    expect(result.stderr).not.toContain("    at ");
  }, 70_000);
});
